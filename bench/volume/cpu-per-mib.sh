#!/usr/bin/env bash
# CPU cost of replication, less sensitive to other load than throughput: two `vigil volume serve`
# JVMs (protocol C, shared-key AES-GCM link) on loopback; fio writes WARM_MB of 1 MiB blocks (not
# measured: JIT warm-up), then MEASURE_MB more; prints fio's MB/s and the CPU (user+sys) both JVMs
# spent per MiB in the measured part. WARM_MB=1 measures a cold process.
# Usage: bench/volume/cpu-per-mib.sh [WARM_MB=2048] [MEASURE_MB=2048]   (needs a built target/: mvn -DskipTests package)
# Env: JAR=path/to/vigil.jar to compare builds; PERF=1 records `perf record -g` of both JVMs for 5 s into $PERF_OUT.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
warm_mb="${1:-2048}"; measure_mb="${2:-2048}"
. "$root/bench/volume/lib.sh"
volume_workdir vigil-cpu-volume
# shellcheck disable=SC2086 # JOPTS is a list of JVM options
volume_cli "${JAR:-$root/target/vigil.jar}" "$root/target/lib" ${JOPTS:-}
serve_pair "" 1024M 17991
uri="$vigil_uri"
cpu_ticks() { local t=0; for p in "${pids[@]}"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }
ticks_of() { awk '{print $14+$15}' "/proc/$1/stat"; }
fio --name=warm --ioengine=nbd --uri="$uri" --size=512M --io_size="${warm_mb}M" --rw=write --bs=1M --iodepth=8 >/dev/null
c0=$(cpu_ticks); p0=$(ticks_of "${pids[0]}"); s0=$(ticks_of "${pids[1]}")
if [ -n "${PERF:-}" ]; then (sleep 1; perf record -g -p "$(IFS=,; echo "${pids[*]}")" -o "${PERF_OUT:-$work/perf.data}" -- sleep 5 >/dev/null 2>&1) & fi
fio --name=measure --ioengine=nbd --uri="$uri" --size=512M --io_size="${measure_mb}M" --rw=write --bs=1M --iodepth=8 --output-format=json \
  | python3 -c 'import json,sys; t=sys.stdin.read(); j=json.loads(t[t.index("{"):])["jobs"][0]["write"]; print("seq write 1 MiB QD8: %d MB/s, p99 %.1f ms" % (j["bw_bytes"]/1e6, j["clat_ns"]["percentile"]["99.000000"]/1e6))'
c1=$(cpu_ticks); p1=$(ticks_of "${pids[0]}"); s1=$(ticks_of "${pids[1]}")
tck=$(getconf CLK_TCK)
python3 -c "print('CPU of both JVMs per replicated MiB: %.2f ms (warm-up %s MiB, measured %s MiB, load average %s)' % (($c1-$c0)*1000/$tck/$measure_mb, $warm_mb, $measure_mb, open('/proc/loadavg').read().split()[0]))"
python3 -c "print('  of which the Primary (a) %.2f ms, the Secondary (b) %.2f ms per MiB' % (($p1-$p0)*1000/$tck/$measure_mb, ($s1-$s0)*1000/$tck/$measure_mb))"
