#!/bin/bash
# vigil-supervisor TIMEOUT_SECONDS STATE_DIR
# Started by vigild in its own session. vigild writes a line to our stdin at least every TIMEOUT seconds.
# If a line does not come in time (daemon hung or SIGSTOPped) or stdin closes without the magic "V"
# (daemon killed), we act as the watchdog: kill every process of every cgroup listed in STATE_DIR/cgroups
# (cgroup v2 cgroup.kill, or each pid where the kernel has no cgroup.kill), every process group listed in
# STATE_DIR/pgroups, and remove every address listed in STATE_DIR/addresses ("NETNS|- DEV ADDR/PREFIX"),
# then exit 3.
set -u
timeout_s=$1
dir=$2
log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >> "$dir/supervisor.log"; }
echo $$ > "$dir/supervisor.pid"
log "armed: timeout ${timeout_s}s, pid $$"
reason=""
while :; do
  if IFS= read -r -t "$timeout_s" line; then
    if [ "$line" = "V" ]; then
      log "magic close: disarmed"
      exit 0
    fi
    continue
  else
    rc=$?
  fi
  if [ "$rc" -gt 128 ]; then reason="not fed for ${timeout_s}s"; else reason="feeder closed its pipe without the magic close"; fi
  break
done
log "FIRED: $reason"
if [ -f "$dir/cgroups" ]; then
  while read -r cg; do
    case $cg in /sys/fs/cgroup/*) ;; *) continue ;; esac
    case $cg in *..*) continue ;; esac
    [ -d "$cg" ] || continue
    if [ -e "$cg/cgroup.kill" ] && echo 1 > "$cg/cgroup.kill" 2>/dev/null; then
      log "killed cgroup $cg"
    else
      for _ in 1 2 3; do
        while read -r p; do kill -KILL "$p" 2>/dev/null; done < "$cg/cgroup.procs"
      done
      log "killed the processes of cgroup $cg"
    fi
  done < "$dir/cgroups"
fi
if [ -f "$dir/pgroups" ]; then
  while read -r pg; do
    case $pg in ''|*[!0-9]*) continue ;; esac
    [ "$pg" -gt 1 ] || continue
    if kill -KILL -- "-$pg" 2>/dev/null; then log "killed process group $pg"; fi
  done < "$dir/pgroups"
fi
if [ -f "$dir/addresses" ]; then
  while read -r ns dev addr; do
    [ -n "${addr:-}" ] || continue
    if [ "$ns" = "-" ]; then
      ip addr del "$addr" dev "$dev" 2>/dev/null && log "removed $addr from $dev"
    else
      ip -n "$ns" addr del "$addr" dev "$dev" 2>/dev/null && log "removed $addr from $dev in $ns"
    fi
  done < "$dir/addresses"
fi
log "done"
: > "$dir/fired"
exit 3
