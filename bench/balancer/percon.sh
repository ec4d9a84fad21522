#!/usr/bin/env bash
# Per-connection cost of the proxy, A/B: builds side by side in front of one nginx, next to HAProxy.
# 1. System calls per request with "Connection: close" (one proxied connection per request):
#    strace -c on every thread of the proxy while wrk -t1 -c10 -d3s runs; count / requests.
# 2. CPU µs per request (user+system from /proc) and req/s, wrk -t2 -c50 -d5s, ROUNDS interleaved
#    rounds over all targets (so machine load hits them alike).
#    With io_uring most socket operations are not system calls but submissions to the ring (counted
#    from the io_uring:io_uring_submit_req tracepoint, by opcode, in a second wrk run), and some work
#    may run in the process's io-wq worker threads (iou-wrk-*): their CPU is in the process's /proc
#    figures (same thread group) and shown on its own as "of which iou-*".
# Usage: BUILDS="old=/tmp/vigil-old new=." [TRANSPORTS="epoll io_uring nio"] [ROUNDS=3] [KEEPALIVE=1] bench/balancer/percon.sh
#   JVM_<name>="...": that build's proxy JVM flags (default: peers.sh's proxy_jvm_opts), e.g.
#   BUILDS="serial=. zgc=." JVM_zgc="-XX:+UseZGC -Xms256m -Xmx512m" compares two collectors on one build.
#   KEEPALIVE=1: the CPU rounds use keep-alive connections instead (system calls are still per new connection).
#   each build dir must hold target/vigil.jar and target/lib (mvn -q -B -ntp package -DskipTests).
# Needs: wrk nginx haproxy strace perf python3. Wrap in `flock /work/wt/bench.lock ...` on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
builds="${BUILDS:-cur=$root}"
transports="${TRANSPORTS:-epoll}"
rounds="${ROUNDS:-3}"
. "$root/bench/balancer/peers.sh"
bench_workdir vigil-percon

NGINX=18180 HAPROXY=18181 next=18182
start_peers $NGINX $HAPROXY
targets=("haproxy:$HAPROXY:$haproxy_pid")

for b in $builds; do
  name="${b%%=*}" dir="${b#*=}"
  for t in $transports; do
    port=$next; next=$((next + 1))
    jvm_var="JVM_$name"
    read -r -a jvm <<< "${!jvm_var:-${proxy_jvm_opts[*]}}"
    start_proxy "$port" "$t" "$threads" "$dir" "${jvm[@]}"
    targets+=("$name-$t:$port:$proxy_pid")
  done
done
for tg in "${targets[@]}"; do
  IFS=: read -r label port pid <<<"$tg"
  for i in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/small" && break; sleep 0.1; done
  wrk -t2 -c50 -d5s -H "Connection: close" "http://127.0.0.1:$port/small" >/dev/null 2>&1  # warm-up (JIT)
done

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# CPU ticks of the process's io_uring threads (io-wq workers iou-wrk-*, SQPOLL iou-sqp-*) alive now
iou_ticks() {
  local sum=0 t
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in iou-*) sum=$((sum + $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0)));; esac
  done
  echo $sum
}
hz=$(getconf CLK_TCK)
reqs_of() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
echo
echo "System calls per request (Connection: close), strace -c on all threads, wrk -t1 -c10 -d3s:"
for tg in "${targets[@]}"; do
  IFS=: read -r label port pid <<<"$tg"
  args=(); for t in /proc/"$pid"/task/*; do args+=(-p "${t##*/}"); done
  strace -c -f -o "$work/strace-$label" "${args[@]}" 2>/dev/null &
  spid=$!
  sleep 1
  n=$(wrk -t1 -c10 -d3s -H "Connection: close" "http://127.0.0.1:$port/small" | reqs_of)
  kill -INT $spid; wait $spid 2>/dev/null || true
  python3 - "$work/strace-$label" "$n" "$label" <<'PY'
import sys
path, n, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
calls = {}
for line in open(path):
    f = line.split()
    if len(f) >= 5 and f[0][0].isdigit() and f[-1] not in ("total",):
        calls[f[-1]] = int(f[3])
skip = {"futex", "restart_syscall"}  # JVM housekeeping threads, not per connection
total = sum(v for k, v in calls.items() if k not in skip)
top = ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(calls.items(), key=lambda kv: -kv[1]) if k not in skip and v / n >= 0.05)
print(f"| {label} | {n} | {total / n:.1f} | {top} |")
PY
done
echo
echo "io_uring submissions per request (Connection: close), perf record -e io_uring:io_uring_submit_req, wrk -t1 -c10 -d3s:"
for tg in "${targets[@]}"; do
  IFS=: read -r label port pid <<<"$tg"
  case "$label" in *io_uring*) ;; *) continue;; esac
  perf record -q -e io_uring:io_uring_submit_req -p "$pid" -o "$work/perf-$label" 2>/dev/null &
  ppid=$!
  sleep 1
  n=$(wrk -t1 -c10 -d3s -H "Connection: close" "http://127.0.0.1:$port/small" | reqs_of)
  kill -INT $ppid; wait $ppid 2>/dev/null || true
  perf script -i "$work/perf-$label" 2>/dev/null | python3 -c '
import re, sys, collections
n, label = int(sys.argv[1]), sys.argv[2]
ops = collections.Counter(m.group(1) for m in (re.search(r"opcode (\w+)", l) for l in sys.stdin) if m)
total = sum(ops.values())
print(f"| {label} | {n} | {total / n:.1f} | " + ", ".join(f"{k} {v / n:.2f}" for k, v in ops.most_common() if v / n >= 0.05) + " |")
' "$n" "$label"
done
echo
hdr=(-H "Connection: close") mode="Connection: close"
[ -n "${KEEPALIVE:-}" ] && hdr=() mode="keep-alive"
echo "CPU per request, wrk -t2 -c50 -d5s, $mode, $rounds interleaved rounds:"
echo "| round | target | req/s | p99 ms | CPU µs/req | of which iou-* threads |"
echo "|---|---|---|---|---|---|"
n=${#targets[@]}
for r in $(seq 1 "$rounds"); do
  # each round starts one target further on: the TIME_WAIT sockets a round leaves (longer port
  # searches for the next connects) and outside load then fall on every target alike
  for i in $(seq 0 $((n - 1))); do
    tg="${targets[$(( (i + r - 1) % n ))]}"
    IFS=: read -r label port pid <<<"$tg"
    t0=$(ticks "$pid") i0=$(iou_ticks "$pid")
    out=$(wrk -t2 -c50 -d5s --latency "${hdr[@]}" "http://127.0.0.1:$port/small")
    t1=$(ticks "$pid") i1=$(iou_ticks "$pid")
    python3 - "$out" "$((t1 - t0))" "$hz" "$r" "$label" "$((i1 - i0))" <<'PY'
import re, sys
t, ticks, hz, r, label, iou = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
reqs = int(re.search(r"(\d+) requests in", t).group(1))
p = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
p99 = float(p.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p.group(2)]
err = " !" if re.search(r"Non-2xx|Socket errors", t) else ""
iou_col = f"{iou * 1e6 / hz / max(reqs, 1):.1f}" if "io_uring" in label else "-"
print(f"| {r} | {label} | {rps:.0f}{err} | {p99:.2f} | {ticks * 1e6 / hz / max(reqs, 1):.1f} | {iou_col} |")
PY
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
