#!/usr/bin/env bash
# Raft failover of vigild: 3 daemons on loopback, SIGKILL of the leader RUNS times (default 5);
# prints per-run times until a new leader is agreed and until the victim is recorded LOST.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs="${1:-5}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/classes:target/test-classes:$(cat target/bench-cp.txt)" io.vigil.cluster.daemon.FailoverBench "$runs"
