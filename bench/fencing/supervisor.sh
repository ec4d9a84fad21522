#!/usr/bin/env bash
# Repeats the real supervisor test N times (default 5) and prints how long the supervisor took to kill the
# resource after the feeder JVM was SIGSTOPped (timeout 1 s, feeds every 250 ms) or SIGKILLed.
# Usage: bench/fencing/supervisor.sh [N]   (root; run from the repository root)
set -euo pipefail
n="${1:-5}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
stop=(); kill=()
for i in $(seq 1 "$n"); do
  rm -f target/supervisor-sigstop-ms.txt target/supervisor-sigkill-ms.txt
  mvn -q -B -ntp test -Dtest=SupervisorWatchdogTest -Dvigil.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
  stop+=("$(cat target/supervisor-sigstop-ms.txt)"); kill+=("$(cat target/supervisor-sigkill-ms.txt)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "| fault (supervisor timeout 1000 ms) | runs | median ms | all ms |"
echo "|---|---|---|---|"
echo "| feeder SIGSTOP -> resource killed | $n | $(median "${stop[@]}") | ${stop[*]} |"
echo "| feeder SIGKILL -> resource killed | $n | $(median "${kill[@]}") | ${kill[*]} |"
