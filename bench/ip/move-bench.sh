#!/usr/bin/env bash
# Planned move of a floating address between two namespaces: outage seen by a TCP prober in a
# third namespace (lab tools from /work/shared/lab), Vigil's AddressMove vs. the manual way.
# usage: bench/ip/move-bench.sh [RUNS]   (root; prints a markdown table)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-7}"
lab_dir="${LAB_DIR:-/work/shared/lab}"
export LAB_PREFIX="vbench$$" LAB_BRIDGE="vbbr$$"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
cd "$root"
[[ -d target/lib && -d target/classes/io/vigil/agents/ip ]] || mvn -q -B -ntp package -DskipTests
cleanup() { bash "$lab_dir/netns-lab.sh" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
bash "$lab_dir/netns-lab.sh" up 2 >/dev/null
for h in 1 2; do  # banner service bound to the VIP (IP_FREEBIND), bounded in time
  ip netns exec "$LAB_PREFIX-h$h" python3 "$lab_dir/banner-server.py" --name "h$h" --max-seconds 900 \
    >/dev/null 2>&1 &
done
sleep 0.5
"$java" -cp "target/classes:target/lib/*" bench/ip/MoveBench.java "$LAB_PREFIX" "$lab_dir" "$runs"
