#!/usr/bin/env bash
# Layer-4 proxy benchmark: wrk through (a) Vigil's proxy, (b) HAProxy mode tcp (THREADS, default 1),
# (c) nginx directly, in one run, on loopback; then RSS of Vigil with N idle connections.
# Usage: bench/balancer/run.sh [seconds-per-run] [idle-connections]   (REPEAT=3 for the median of 3)
#   TRANSPORTS="nio epoll io_uring" (the default): Vigil's proxy transports to run, each its own process;
#   the RSS with idle connections is measured for each of them in turn.
#   THREADS=N: HAProxy's nbthread and each Vigil proxy's event-loop threads (default 1; peers.sh).
# Needs: wrk nginx haproxy python3 (apt-get install -y wrk nginx haproxy). Prints a Markdown table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
secs="${1:-8}"
idle="${2:-9500}"  # 2 descriptors per proxied connection; the hard limit here is 20000 (even for root)
repeat="${REPEAT:-1}"
transports="${TRANSPORTS:-nio epoll io_uring}"
. "$root/bench/balancer/peers.sh"
bench_workdir vigil-bench

NGINX=18080 HAPROXY=18081 VIGIL_FIRST=18082  # Vigil: one port per transport from VIGIL_FIRST on
start_peers $NGINX $HAPROXY
head -c $((1024*1024)) /dev/urandom > "$work/www/big"

(cd "$root" && [ -f target/vigil.jar ] && [ -d target/lib ]) || (cd "$root" && mvn -q -B -ntp package -DskipTests)
targets=("nginx direct:$NGINX:" "haproxy $threads thr:$HAPROXY:$haproxy_pid")
vports=()
port=$VIGIL_FIRST
for t in $transports; do
  start_proxy "$port" "$t" "$threads" "$root"
  targets+=("vigil $t $threads thr:$port:$proxy_pid")
  vports+=("$t:$port:$proxy_pid")
  port=$((port + 1))
done
allports() { for tg in "${targets[@]}"; do IFS=: read -r _ p _ <<<"$tg"; echo "$p"; done; }
for port in $(allports); do
  for i in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/small" && break; sleep 0.1; done
done

# CPU time (user+system, clock ticks) of a process: to report CPU microseconds per request,
# which a busy machine disturbs far less than req/s.
ticks() { [ -n "$1" ] && awk '{print $14+$15}' "/proc/$1/stat" || echo 0; }
hz=$(getconf CLK_TCK)

# wrk's summary -> "req/s MiB/s p99ms cpu-us-per-request"
run_wrk() { # port path extra-header pid
  local out t0 t1
  t0=$(ticks "$4")
  if [ -n "$3" ]; then out=$(wrk -t2 -c50 -d"${secs}s" --latency -H "$3" "http://127.0.0.1:$1$2" 2>&1)
  else out=$(wrk -t2 -c50 -d"${secs}s" --latency "http://127.0.0.1:$1$2" 2>&1); fi
  t1=$(ticks "$4")
  python3 - "$out" "$((t1 - t0))" "$hz" "$4" <<'PY'
import re, sys
t = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
reqs = int(re.search(r"(\d+) requests in", t).group(1))
m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", t)
mib = float(m.group(1)) * {"B": 1/1048576, "KB": 1/1024, "MB": 1, "GB": 1024}[m.group(2)]
p = re.search(r"99%\s+([\d.]+)(us|ms|s)", t)
p99 = float(p.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p.group(2)]
cpu = f"{int(sys.argv[2]) * 1e6 / int(sys.argv[3]) / max(reqs, 1):.1f}" if sys.argv[4] else "-"
err = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", t)
print(f"{rps:.0f} {mib:.1f} {p99:.2f} {cpu}" + (" !" if err else ""))
PY
}

# warm the JVMs (C2 needs a few seconds of load) and every peer before measuring
for port in $(allports); do
  wrk -t2 -c50 -d5s "http://127.0.0.1:$port/small" >/dev/null 2>&1
  wrk -t2 -c50 -d3s -H "Connection: close" "http://127.0.0.1:$port/small" >/dev/null 2>&1
  wrk -t2 -c50 -d3s "http://127.0.0.1:$port/big" >/dev/null 2>&1
done

# median (by req/s) of the runs collected in a file
median() { sort -n "$1" | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, ${secs}s per run, median of $repeat (targets interleaved)"
echo
echo "| workload | target | req/s | MiB/s | p99 ms | proxy CPU µs/req |"
echo "|---|---|---|---|---|---|"
for w in "small keep-alive|/small|" "small new-conn|/small|Connection: close" "1MiB keep-alive|/big|"; do
  IFS='|' read -r name path hdr <<<"$w"
  # Round-robin over the targets, not each target's runs back to back: load from elsewhere and the
  # TIME_WAIT sockets of earlier new-connection runs (loopback ports are reused from them, a longer
  # port search per connect) then fall on every target alike instead of on the last one.
  for i in $(seq 1 "$repeat"); do
    for k in "${!targets[@]}"; do
      IFS=: read -r label port pid <<<"${targets[$k]}"
      run_wrk "$port" "$path" "$hdr" "$pid" >> "$work/res-$k"
    done
  done
  for k in "${!targets[@]}"; do
    IFS=: read -r label port pid <<<"${targets[$k]}"
    read -r rps mib p99 cpu flag <<<"$(median "$work/res-$k")"
    rm -f "$work/res-$k"
    echo "| $name | $label | $rps | $mib | $p99 ${flag:-} | $cpu |"
  done
done

# RSS with N idle connections through each Vigil transport in turn, each bounded to 60 s.
rss_of() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
echo
for tp in "${vports[@]}"; do
  IFS=: read -r t vport vpid <<<"$tp"
  before=$(rss_of "$vpid")
  python3 - "$vport" "$idle" <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket(); s.setblocking(True); s.connect(("127.0.0.1", port)); socks.append(s)
time.sleep(15)
PY
  holder=$!
  pids+=($holder)
  # wait until the proxy holds the backend side of every connection (nginx sees them)
  for i in $(seq 1 100); do
    est=$(ss -Htn state established "( sport = :$NGINX )" | wc -l)
    [ "$est" -ge "$idle" ] && break; sleep 0.2
  done
  sleep 1
  during=$(rss_of "$vpid")
  echo "Vigil ($t, $threads thread) RSS: ${before} MiB idle, ${during} MiB with ${est} concurrent idle proxied connections"
  kill "$holder" 2>/dev/null || true
  wait "$holder" 2>/dev/null || true
  # until the proxy has closed them all, so the next transport starts from none
  for i in $(seq 1 100); do
    [ "$(ss -Htn state established "( sport = :$NGINX )" | wc -l)" -le 10 ] && break; sleep 0.2
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
