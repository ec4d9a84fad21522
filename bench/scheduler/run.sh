#!/usr/bin/env bash
# Scheduler benchmark: synthetic CIBs, Vigil's simulate vs Pacemaker's crm_simulate -R -x on the
# same file in the same run. Prints a table (wall seconds per whole command, Vigil's in-process
# scheduling time, and the speed-up). Usage: bench/scheduler/run.sh [SIZES...] (default:
# 3x100 16x1000 32x5000 32x10000). CRM_TIMEOUT (s, default 900) bounds each crm_simulate run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(3x100 16x1000 32x5000 32x10000)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
(cd "$root" && mvn -q -B -ntp package -DskipTests)
work="$(mktemp -d /tmp/vigil-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# heap bounded as the issue sets (512 MiB); otherwise bin/vigil's own JVM options (serial GC, C1
# only, and its AOT cache on JDK >= 25 or class-data archive before: bin/lib/common.sh), so
# "whole command" is what an operator runs. VIGIL_BENCH_JAVA_OPTS overrides them.
. "$root/bin/lib/common.sh"
if [ -n "${VIGIL_BENCH_JAVA_OPTS:-}" ]; then
  read -r -a jopts <<< "$VIGIL_BENCH_JAVA_OPTS"
else
  vigil_cli_jvm_opts "$root"
  jopts=("${VIGIL_CLI_OPTS[@]}")
fi
java=("$JAVA_HOME/bin/java" -Xmx512m "${jopts[@]}"
      -cp "$root/target/vigil.jar:$root/target/lib/*" io.vigil.cli.Main simulate)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine inflates both columns)"
printf "%-10s %10s %14s %16s %12s %9s\n" size "cib MiB" "crm_simulate s" "vigil whole s" "vigil sched" speedup
for s in "${sizes[@]}"; do
  n="${s%x*}"; r="${s#*x}"
  f="$work/cib-$s.xml"
  python3 "$root/bench/scheduler/gen_cib.py" "$n" "$r" "$f"
  mib=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1048576}')
  t0=$(date +%s.%N)
  if timeout "${CRM_TIMEOUT:-900}" crm_simulate -R -x "$f" >/dev/null 2>&1; then
    crm=$(echo "$(date +%s.%N) - $t0" | bc)
  else
    crm="timeout"
  fi
  t0=$(date +%s.%N)
  sched=$("${java[@]}" --cib "$f" --timing 2>&1 >/dev/null | sed -n 's/^scheduled in \([0-9.]*\) ms.*/\1/p')
  vig=$(echo "$(date +%s.%N) - $t0" | bc)
  if [ "$crm" = timeout ]; then speed="-"; else speed=$(echo "scale=1; $crm / $vig" | bc); fi
  printf "%-10s %10s %14s %16.2f %9s ms %8sx\n" "$s" "$mib" "$crm" "$vig" "${sched:-?}" "$speed"
done
