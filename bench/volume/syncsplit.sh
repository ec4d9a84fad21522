#!/usr/bin/env bash
# Where a small synchronous write's time goes, and builds compared round by round: fio's 4 KiB random
# write + fsync loop at queue depth 1, split into the write and the flush (p50 / p99 / p99.9 each),
# through one Vigil volume per build (protocol C, two `vigil volume serve` processes on loopback) and
# through nbdkit's file plugin, in rotated rounds so every target sees the same machine.
# Usage: bench/volume/syncsplit.sh ROUNDS BUILD[@JVM-OPTIONS]...
#   BUILD is a directory holding target/vigil.jar and target/lib (e.g. this tree after `mvn package
#   -DskipTests`, or a copy of another commit's); @... adds JVM options to that build's two processes
#   (e.g. /tmp/vigil@-Dsome.property=1 to compare a switch). Env: SECS (10) measured seconds per round;
#   JOB replaces the fio workload (e.g. JOB="--rw=write --bs=1M --iodepth=8" for sequential throughput).
# Each target gets 1 GiB of 1 MiB writes first (not measured), and `sync` runs before every round so no
# round inherits another's writeback. Round 1 includes the JVMs' compilation of the small-write path;
# compare rounds 2 and later. Needs fio, nbdkit, python3, a JDK >= 21 (apt-get install -y fio nbdkit).
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,13p "$0" | sed 's/^# \{0,1\}//'; exit 2; }
rounds=$1; shift
builds=("$@")
for tool in fio nbdkit python3; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y fio nbdkit python3)"; exit 2; }; done
. "$(dirname "$0")/lib.sh"
volume_workdir vigil-syncsplit
uris=(); names=()
for i in "${!builds[@]}"; do
  spec=${builds[$i]}; dir=${spec%%@*}; opts=""; [ "$spec" != "$dir" ] && opts=${spec#*@}
  [ -f "$dir/target/vigil.jar" ] || { echo "no $dir/target/vigil.jar (run mvn -q -B package -DskipTests there)"; exit 2; }
  # shellcheck disable=SC2086 # the options are meant to split on spaces
  volume_cli "$dir/target/vigil.jar" "$dir/target/lib" $opts
  serve_pair "$i" 1024M $((17900 + 2 * i))
  uris+=("$vigil_uri"); names+=("$(basename "$dir")${opts:+ $opts}")
done
start_nbdkit 1024M
uris+=("$nbdkit_uri"); names+=(nbdkit)

for uri in "${uris[@]}"; do
  fio --name=warmup --ioengine=nbd --uri="$uri" --size=512M --io_size=1024M --rw=write --bs=1M --iodepth=8 >/dev/null
done
echo "run at $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); latencies in µs"
n=${#uris[@]}
for r in $(seq 1 "$rounds"); do
  for j in $(seq 0 $((n - 1))); do
    k=$(( (j + r - 1) % n ))  # each round starts one target later: no target always follows the same one
    sync
    # shellcheck disable=SC2086 # JOB is a list of fio options
    fio --name=round --ioengine=nbd --uri="${uris[$k]}" --size=512M --ramp_time=2 --runtime="${SECS:-10}" --time_based \
      ${JOB:---rw=randwrite --bs=4k --iodepth=1 --fsync=1} --output-format=json > "$work/r$r-$k.json"
    python3 - "$work/r$r-$k.json" "${names[$k]}" "$r" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
job = json.loads(text[text.index("{"):])["jobs"][0]  # fio's nbd engine may print a line before the JSON
w = job["write"]["clat_ns"]["percentile"]
s = job.get("sync", {}).get("lat_ns", {}).get("percentile", {})
def us(p, key): return p.get(key, 0) / 1000
print(f"round {sys.argv[3]}  {sys.argv[2]:<28} {job['write']['bw_bytes'] / 1e6:7.0f} MB/s {job['write']['iops']:7.0f} IOPS"
      f"  write {us(w, '50.000000'):5.0f} / {us(w, '99.000000'):5.0f} / {us(w, '99.900000'):5.0f}"
      f"  flush {us(s, '50.000000'):5.0f} / {us(s, '99.000000'):5.0f} / {us(s, '99.900000'):5.0f}"
      f"  p99 sum {us(w, '99.000000') + us(s, '99.000000'):6.0f}", flush=True)
PY
  done
done
