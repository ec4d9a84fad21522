#!/usr/bin/env bash
# Per-action latency: Vigil's executor vs. Pacemaker's crm_resource --validate and a plain shell
# call of the same agent. Usage: bench/exec/run.sh [N]   (default 200 runs per row)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/bin/lib/common.sh"
vigil_find_java
vigil_need_maven
n="${1:-200}"
(cd "$root" && mvn -q -B -ntp -DskipTests compile)
mkdir -p /tmp/vigil-bench
percentiles() { sort -n | awk -v label="$1" '{a[NR]=$1} END {printf "| %-40s | %4d | %7.1f | %7.1f | %7.1f |\n", label, NR, a[int(NR*0.5)+1], a[int(NR*0.9)+1], a[int(NR*0.99)+1]}'; }
time_loop() { # label, command...
  local label="$1"; shift
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    echo "scale=3; ($t1-$t0)/1000000" | bc
  done | percentiles "$label"
}
echo "| case                                     |    n | p50 ms  | p90 ms  | p99 ms  |"
echo "|------------------------------------------|------|---------|---------|---------|"
time_loop "pacemaker crm_resource --validate" crm_resource --validate --class ocf --provider heartbeat --agent Dummy
time_loop "shell: Dummy validate-all (fork+exec)" env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench /usr/lib/ocf/resource.d/heartbeat/Dummy validate-all
time_loop "shell: Dummy monitor (fork+exec)" env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=bench OCF_RESKEY_state=/tmp/vigil-bench/dummy.state /usr/lib/ocf/resource.d/heartbeat/Dummy monitor
"$JAVA_HOME/bin/java" -cp "$root/target/classes" "$root/bench/exec/ExecBench.java" "$n"
