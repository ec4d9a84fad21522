#!/usr/bin/env bash
# Off of one node through Vigil's fencing engine vs. running Debian's fence_dummy directly (the peer).
# Usage: bench/fencing/fence-latency.sh [N]   (run from the repository root; needs fence-agents)
set -euo pipefail
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -q -B -ntp compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
"$JAVA_HOME/bin/java" -cp "target/classes:$(cat target/bench-cp.txt)" bench/fencing/FenceLatency.java "${1:-20}"
