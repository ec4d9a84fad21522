#!/usr/bin/env bash
# Idle soak (issue 4, "Measured"): a 3-node demo cluster with default settings (node-timeout 500 ms)
# runs idle for MINUTES (default 10) while stress-ng saturates both cores and a client probes
# the floating IP + service every 10 ms (bin/vigil demo probe, 50 ms timeout). At the end it
# counts, from the cluster's history (bin/vigil history --json) and the probe log: node-lost
# events, fencing, resource starts/stops (a group move), transitions, failures, and the longest
# run of failed probes. A spurious failover is any fencing, start/stop or change of the node
# answering. Root needed. Usage: bench/cluster/idle-soak.sh [MINUTES 1..60]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
. "$root/bench/cluster/netns-lib.sh"
minutes="${1:-10}"
[[ "$minutes" =~ ^[0-9]+$ ]] && ((minutes >= 1 && minutes <= 60)) || { echo "usage: $0 [MINUTES 1..60]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root (network namespaces)" >&2; exit 2; }
command -v stress-ng >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q stress-ng >&2
py=(python3 "$root/bench/cluster/netns_bench.py")

ts="$(date -u +%Y%m%dT%H%M%SZ)"
logs="/tmp/vigil-idle-soak-$ts"
work="$(mktemp -d /tmp/vsoak.XXXXXX)"
chmod 755 "$work"   # the demo's service runs as an unprivileged account, which must reach it
demo_dir="$work/demo"
PREFIX=vbs   # the soak's namespaces (an interactive demo uses vdemo, netns-failover.sh vbd/vbk)
mkdir -p "$logs"

exec 9>/tmp/vigil-netns-bench.lock
flock -n 9 || { echo "$0: another netns benchmark or soak runs (lock /tmp/vigil-netns-bench.lock)" >&2; exit 1; }

log() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }
stress_pid=""

cleanup() {
  set +e
  [ -n "$stress_pid" ] && kill "$stress_pid" 2>/dev/null && wait "$stress_pid" 2>/dev/null
  [ -f "$demo_dir/soak-probe.log" ] && touch "$demo_dir/soak-probe.log.stop" && sleep 0.5
  if [ -f "$demo_dir/demo.json" ]; then
    cp "$demo_dir"/*.log "$logs/" 2>/dev/null
    timeout 60 bin/vigil demo --stop --dir "$demo_dir" >/dev/null 2>&1
  fi
  netns_purge "$PREFIX"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

netns_refuse_leftovers "$PREFIX"

log "logs: $logs"
uptime >&2
timeout 300 bin/vigil demo --fault none --mode netns --dir "$demo_dir" --netns-prefix "$PREFIX" >"$logs/demo.out" 2>&1 \
  || { cat "$logs/demo.out" >&2; echo "$0: the demo did not start" >&2; exit 1; }
log "cluster up (default settings); starting the client prober and stress-ng --cpu 2 for ${minutes}m"
# the demo's prober stopped when the demo command returned: this one runs for the whole soak
(VIGIL_JAVA_OPTS="-XX:+UseSerialGC -Xmx96m" setsid ip netns exec "$PREFIX-client" bin/vigil demo probe \
  --target 10.77.0.100:8080 --out "$demo_dir/soak-probe.log" --interval 10ms --timeout 50ms --duration "$((minutes + 2))m" \
  >"$logs/soak-prober.log" 2>&1 </dev/null &)
deadline=$((SECONDS + 60))
until [ "$(awk '$3 == "ok"' "$demo_dir/soak-probe.log" 2>/dev/null | wc -l)" -ge 20 ]; do
  ((SECONDS < deadline)) || { echo "$0: the service does not answer the prober" >&2; exit 1; }
  sleep 0.2
done
since="$(date +%s%3N)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
stress-ng --cpu 2 --timeout "${minutes}m" --metrics-brief >"$logs/stress-ng.log" 2>&1 &
stress_pid=$!
wait "$stress_pid" || log "stress-ng ended with rc $?"
stress_pid=""
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
touch "$demo_dir/soak-probe.log.stop"
sleep 1
cp "$demo_dir/soak-probe.log" "$logs/"
timeout 60 bin/vigil history --json --limit 2000 --state-dir "$demo_dir/alpha" >"$logs/history.json"
timeout 60 bin/vigil status --state-dir "$demo_dir/alpha" >"$logs/status.txt" 2>&1 || true

echo
echo "Idle soak: 3 nodes (default settings, node-timeout $(bin/vigil config keys 2>/dev/null | awk -F"|" '/`node-timeout`/ {gsub(/ /,"",$3); print $3}' | head -1)), ${minutes} min of stress-ng --cpu 2 on $(nproc) cores,"
echo "client probing the floating IP every 10 ms (50 ms timeout); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load average (1/5/15 min) before: $load_before, at the end: $load_after"
"${py[@]}" soak "$logs/soak-probe.log" "$logs/history.json" "$since" | tee "$logs/summary.txt" | tail -n +2
# the daemons' own pauses (GC, CPU starvation) that pause detection kept from counting as silence
cp "$demo_dir"/*.log "$logs/" 2>/dev/null || true
# (logged as warnings from 100 ms; shorter ones are at debug level). No pause at all is no error.
pauses="$(cat "$logs"/alpha.log "$logs"/beta.log "$logs"/gamma.log 2>/dev/null | { grep -o 'did not run for [0-9]* ms' || true; } | awk '{print $5}' | sort -n)"
echo "| daemon pauses of 100 ms or more detected (count, longest ms) | $(printf '%s\n' "$pauses" | grep -c . || true) , $(printf '%s\n' "$pauses" | tail -1) |"
echo
cat "$logs/status.txt"
echo "logs: $logs"
