#!/usr/bin/env bash
# Measured failover of a floating IP + service in network namespaces, Vigil next to keepalived,
# in one run (issue 4, "Measured"). Root needed. Usage: bench/cluster/netns-failover.sh [RUNS]
#
# Per run (RUNS times, the systems interleaved so the machine's load hits them alike):
#   vigil default / power   bin/vigil demo --json --fault power           (node-timeout 500 ms)
#   vigil fast    / power   bin/vigil demo --json --fault power --fast    (node-timeout 100 ms + leader pings, no ARP probe,
#                                                                          the daemons on the quick JIT: C1 only)
#   vigil fast-tiered / power   the same with --jit tiered (the JVM's default JIT), to show what the quick JIT buys
#   vigil default / daemon  bin/vigil demo --json --fault daemon          (SIGKILL of vigild only)
#   keepalived advert_int 1   (VRRPv2, the default) / power loss of the MASTER
#   keepalived advert_int 0.1 (VRRPv3)              / power loss of the MASTER
# The keepalived lab is the same kind as the demo's: 3 hosts 10.77.0.11-13 and a client .250 on
# a private bridge (/work/shared/lab/netns-lab.sh, prefix vbk), VIP 10.77.0.100, a tiny HTTP
# service on :8080 on every host answering "served by hK", probed by the same prober
# (bin/vigil demo probe, every 10 ms, 50 ms timeout) inside the client namespace. Power loss =
# bridge port down + SIGKILL of every process in the host's namespace. Outage = fault -> first
# answer from another host seen by the client.
#
# Prints one table; raw JSON lines (one per run) go to bench/cluster/results/ (or $RESULTS),
# logs of every run to /tmp/vigil-netns-bench-TIMESTAMP/. Everything is torn down on exit.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
. "$root/bench/cluster/netns-lib.sh"
runs="${1:-5}"
[[ "$runs" =~ ^[0-9]+$ ]] && ((runs >= 1 && runs <= 50)) || { echo "usage: $0 [RUNS 1..50]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root (network namespaces)" >&2; exit 2; }
command -v keepalived >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q keepalived >&2
lab=/work/shared/lab/netns-lab.sh
[ -x "$lab" ] || lab="bash $lab"
py=(python3 "$root/bench/cluster/netns_bench.py")

ts="$(date -u +%Y%m%dT%H%M%SZ)"
results="${RESULTS:-$root/bench/cluster/results/netns-failover-$ts.jsonl}"
logs="/tmp/vigil-netns-bench-$ts"
work="$(mktemp -d /tmp/vbench.XXXXXX)"
# the demo's service runs as an unprivileged account, which must reach the demo directory
chmod 755 "$work"
demo_dir="$work/demo"
ka_dir="$work/ka"
DPREFIX=vbd   # the demo's namespaces: vbd-br, vbd-h1..3, vbd-client (an interactive demo uses vdemo)
KPREFIX=vbk   # the keepalived lab's
mkdir -p "$(dirname "$results")" "$logs"

exec 9>/tmp/vigil-netns-bench.lock
flock -n 9 || { echo "$0: another netns benchmark or soak runs (lock /tmp/vigil-netns-bench.lock)" >&2; exit 1; }

log() { printf '[%s] %s\n' "$(date -u +%T)" "$*" >&2; }

ka_down() {
  LAB_PREFIX=$KPREFIX LAB_BRIDGE=${KPREFIX}br0 $lab down >/dev/null 2>&1 || true
}

cleanup() {
  set +e
  if [ -f "$demo_dir/demo.json" ]; then timeout 60 bin/vigil demo --stop --dir "$demo_dir" >/dev/null 2>&1; fi
  ka_down
  # anything left behind with our prefixes (e.g. a demo killed before it wrote demo.json)
  netns_purge "$DPREFIX" "$KPREFIX"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

netns_refuse_leftovers "$DPREFIX" "$KPREFIX"

load1() { cut -d' ' -f1 /proc/loadavg; }

# record JSON_OR_EMPTY KEY=VALUE... : one results line (the measurement plus what was run)
record() {
  local json="$1"; shift
  python3 - "$json" "$@" >>"$results" <<'EOF'
import json, sys
j = json.loads(sys.argv[1]) if sys.argv[1].strip().startswith("{") else {"total_ms": None, "error": "no measurement"}
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    try:
        v = json.loads(v)
    except ValueError:
        pass
    j[k] = v
print(json.dumps(j))
EOF
}

# ---------------------------------------------------------------- Vigil (bin/vigil demo)
vigil_run() {  # SETTINGS(default|fast|fast-tiered) FAULT(power|daemon) RUN
  local settings="$1" fault="$2" run="$3" name="vigil-$1-$2-$3" load rc=0 json victim survivor
  local args=(demo --json --mode netns --fault "$fault" --dir "$demo_dir" --netns-prefix "$DPREFIX")
  [ "$settings" = fast ] && args+=(--fast)
  [ "$settings" = fast-tiered ] && args+=(--fast --jit tiered)
  load="$(load1)"
  log "$name: bin/vigil ${args[*]} (load $load)"
  timeout 300 bin/vigil "${args[@]}" >"$logs/$name.out" 2>&1 || rc=$?
  json="$(tail -n 1 "$logs/$name.out")"
  [[ "$json" == "{"* ]] || json=""
  victim=""
  [ -n "$json" ] && victim="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("victim") or "")' "$json")"
  for survivor in alpha beta gamma; do [ "$survivor" != "$victim" ] && break; done
  if [ -d "$demo_dir/$survivor" ]; then
    timeout 60 bin/vigil history --json --limit 2000 --state-dir "$demo_dir/$survivor" >"$logs/$name.history.json" 2>&1 || true
    cp "$demo_dir"/*.log "$demo_dir/cluster.yaml" "$logs/" 2>/dev/null || true
    for f in "$demo_dir"/*.log; do [ -f "$f" ] && mv "$logs/$(basename "$f")" "$logs/$name.$(basename "$f")"; done
    [ -f "$logs/cluster.yaml" ] && mv "$logs/cluster.yaml" "$logs/$name.cluster.yaml"
  fi
  timeout 120 bin/vigil demo --stop --dir "$demo_dir" >>"$logs/$name.out" 2>&1 || log "$name: demo --stop failed (rc $?), see $logs/$name.out"
  if [ -z "$json" ] && ! grep -q -e "POWER LOSS of" -e "SIGKILL of the daemon" "$logs/$name.out"; then
    # The cluster never got to the fault (e.g. forming it failed): not a failover measurement.
    # Recorded as a setup failure (counted in the table) and the run is repeated, at most twice.
    record "" system=vigil settings="$settings" fault="$fault" run="$run" load1="$load" rc="$rc" setup_failed=true \
      error="$(grep -m1 '^vigil demo:' "$logs/$name.out" | cut -c1-300)"
    log "$name: SETUP FAILED before the fault (rc $rc), see $logs/$name.out"
    return 1
  fi
  record "$json" system=vigil settings="$settings" fault="$fault" run="$run" load1="$load" rc="$rc"
  log "$name: ${json:-FAILED (rc $rc), see $logs/$name.out}"
}

vigil_measure() {  # SETTINGS FAULT RUN: one measured failover, repeating a run whose setup failed (3 tries)
  vigil_run "$1" "$2" "$3" || vigil_run "$1" "$2" "$3.2" || vigil_run "$1" "$2" "$3.3" || true
}

# ---------------------------------------------------------------- keepalived
ka_service() {
  cat >"$ka_dir/service.py" <<'EOF'
import socket, sys, threading
name, port = sys.argv[1], int(sys.argv[2])
def serve(c):
    try:
        c.settimeout(2)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 8192:
            chunk = c.recv(1024)
            if not chunk:
                break
            data += chunk
        body = ("served by %s\n" % name).encode()
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    finally:
        c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(256)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
}

ka_conf() {  # K ADVERT_INT
  local k="$1" adv="$2" state=BACKUP prio version=2
  prio=$((250 - 50 * k))   # h1 200 (MASTER), h2 150, h3 100
  [ "$k" = 1 ] && state=MASTER
  [ "$adv" != 1 ] && version=3   # sub-second adverts need VRRPv3
  cat <<EOF
global_defs {
  router_id h$k
  vrrp_version $version
}
vrrp_instance VI_1 {
  state $state
  interface eth0
  virtual_router_id 77
  priority $prio
  advert_int $adv
  virtual_ipaddress {
    10.77.0.100/24 dev eth0
  }
}
EOF
}

# probe_count LOG NODE: successful answers from NODE so far
probe_count() { awk -v n="$2" '$3 == "ok" && $4 == n' "$1" 2>/dev/null | wc -l; }

ka_run() {  # ADVERT_INT RUN
  local adv="$1" run="$2" name="keepalived-adv$1-$2" load k victim="" fault_ns json="" deadline
  load="$(load1)"
  log "$name: keepalived advert_int $adv, power loss of the MASTER (load $load)"
  rm -rf "$ka_dir"; mkdir -p "$ka_dir"
  LAB_PREFIX=$KPREFIX LAB_BRIDGE=${KPREFIX}br0 $lab up 3 >"$logs/$name.lab" 2>&1
  ka_service
  for k in 1 2 3; do
    ka_conf "$k" "$adv" >"$ka_dir/h$k.conf"
    # (...&): not jobs of this shell, so their SIGKILL at the fault is not reported as "Killed"
    (setsid ip netns exec "$KPREFIX-h$k" python3 -I -S "$ka_dir/service.py" "h$k" 8080 >"$ka_dir/svc-h$k.log" 2>&1 </dev/null &)
    (setsid ip netns exec "$KPREFIX-h$k" keepalived --dont-fork --log-console --log-detail --vrrp \
      --use-file "$ka_dir/h$k.conf" --pid "$ka_dir/h$k.pid" --vrrp_pid "$ka_dir/h$k.vrrp.pid" \
      >"$ka_dir/keepalived-h$k.log" 2>&1 </dev/null &)
  done
  # the demo's prober, with the JVM flags the demo gives it
  (VIGIL_JAVA_OPTS="-XX:+UseSerialGC -Xmx96m" setsid ip netns exec "$KPREFIX-client" bin/vigil demo probe \
    --target 10.77.0.100:8080 --out "$ka_dir/probe.log" --interval 10ms --timeout 50ms --duration 3m \
    >"$ka_dir/prober.log" 2>&1 </dev/null &)
  deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do  # the VIP settled on the MASTER: 50 answers (0.5 s) from it
    for k in 1 2 3; do
      if (($(probe_count "$ka_dir/probe.log" "h$k") >= 50)); then victim="h$k"; break 2; fi
    done
    sleep 0.2
  done
  if [ -n "$victim" ] && ip -n "$KPREFIX-$victim" -o addr show dev eth0 | grep -q ' 10\.77\.0\.100/'; then
    fault_ns="$("${py[@]}" fault "$KPREFIX-br" "$victim" "$KPREFIX-$victim")"
    deadline=$((SECONDS + 30))
    while ((SECONDS < deadline)); do
      json="$("${py[@]}" outage "$ka_dir/probe.log" "$fault_ns" "$victim")"
      [[ "$json" == *'"total_ms": null'* ]] || break
      sleep 0.2
    done
    sleep 1  # keep probing: an old master answering again would show now
    json="$("${py[@]}" outage "$ka_dir/probe.log" "$fault_ns" "$victim")"
  else
    log "$name: no MASTER answered within 60 s, see $logs/$name.*"
  fi
  touch "$ka_dir/probe.log.stop"
  sleep 0.5
  for f in "$ka_dir"/*.log "$ka_dir"/*.conf; do cp "$f" "$logs/$name.$(basename "$f")"; done
  ka_down
  record "$json" system=keepalived settings="advert_int $adv" fault=power run="$run" load1="$load"
  log "$name: ${json:-FAILED}"
}

log "results: $results; logs: $logs; $runs run(s) of each"
uptime >&2
only="${ONLY:-vigil keepalived}"   # ONLY=keepalived (or vigil) while working on the script
for run in $(seq 1 "$runs"); do
  if [[ " $only " == *" vigil "* ]]; then
    vigil_measure default power "$run"
    vigil_measure fast power "$run"
    vigil_measure fast-tiered power "$run"
    vigil_measure default daemon "$run"
  fi
  if [[ " $only " == *" keepalived "* ]]; then
    ka_run 1 "$run"
    ka_run 0.1 "$run"
  fi
done

echo
echo "Failover, 3 hosts in network namespaces, floating IP 10.77.0.100 + HTTP service, client probing every 10 ms"
echo "($(date -u '+%Y-%m-%d %H:%M UTC'), $runs run(s) each; times in ms from the fault; $(nproc) cores; uptime:$(uptime | sed 's/.*load average/ load average/'))"
echo
"${py[@]}" table "$results"
echo
echo "Where Vigil's time goes (from each run's cluster history):"
echo
"${py[@]}" phases "$results" "$logs"
echo
echo "raw: $results   logs: $logs"
