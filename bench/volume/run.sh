#!/usr/bin/env bash
# Compares NBD block I/O on this machine, in one run:
#   (a) a Vigil volume, protocol C, two `vigil volume serve` processes on loopback (primary exports NBD)
#   (b) nbdkit's file plugin serving the same kind of file (no replication: the NBD ceiling here)
#   (c) the file directly (fio psync/direct)
# with fio 3.33 (its nbd engine for a and b). Also measures resync throughput (disconnect, write, reconnect).
# Usage: bench/volume/run.sh [SIZE_MB]   (default 1024; everything lives in a temp dir on the local disk)
# Env: JAR=path/to/vigil.jar runs that build instead of building this tree (to compare builds).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
size_mb="${1:-1024}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
. "$root/bench/volume/lib.sh"
for tool in fio nbdkit nbdcopy; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y fio nbdkit libnbd-bin)"; exit 2; }; done
[ -n "${JAR:-}" ] || (cd "$root" && mvn -q -B -ntp -DskipTests package) || { echo "build failed"; exit 1; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
volume_workdir vigil-bench-volume
volume_cli "${JAR:-$root/target/vigil.jar}" "$root/target/lib" -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS
ctl() { "${cli[@]}" "$1" vol --control "$work/$2.ctl"; }
serve_pair "" "${size_mb}M" 17891
truncate -s "${size_mb}M" "$work/direct.img"
start_nbdkit "${size_mb}M"

# --ramp_time: every target gets 2 s before measuring (the JVMs compile their hot paths in the first seconds).
common=(--size="$((size_mb / 2))M" --ramp_time=2 --runtime=10 --time_based --output-format=json --group_reporting)
run() { # label target-kind workload-args...
  local label=$1 kind=$2; shift 2
  local target
  case "$kind" in
    vigil) target=(--ioengine=nbd --uri="$vigil_uri") ;;
    nbdkit) target=(--ioengine=nbd --uri="$nbdkit_uri") ;;
    direct) target=(--ioengine=psync --filename="$work/direct.img") ;;
  esac
  # No target inherits the previous workload's dirty pages: its writeback would land in this one's
  # latencies (a sync-write p99 measured right after 10 s of sequential writes varied 5x run to run).
  sync
  fio --name="$label" "${target[@]}" "${common[@]}" "$@" > "$work/$label.json"
}
# Warm-up, not measured, the same for both NBD servers: 2 GiB of 1 MiB writes, then 10 s of the 4 KiB
# write + fsync loop. A Vigil node is a long-running JVM; its first gigabytes run partly interpreted
# (HotSpot's AES-GCM and CRC intrinsics need C2-compiled callers), and the small-write and flush path
# is compiled only after some 10^4 requests (without this step the first 10 s of that loop had a p99
# several times the next ten's), which is not the steady state this table is about.
for uri in "$vigil_uri" "$nbdkit_uri"; do
  fio --name=warmup --ioengine=nbd --uri="$uri" --size="$((size_mb / 2))M" --io_size=2048M --rw=write --bs=1M --iodepth=8 >/dev/null
  fio --name=warmup-sync --ioengine=nbd --uri="$uri" --size="$((size_mb / 2))M" --runtime=10 --time_based --rw=randwrite \
    --bs=4k --iodepth=1 --fsync=1 >/dev/null
done
for kind in vigil nbdkit direct; do
  extra=(); [ "$kind" = direct ] && extra=(--direct=1)
  run "seqwrite-$kind" "$kind" --rw=write --bs=1M --iodepth=8 "${extra[@]}"
  run "syncwrite-$kind" "$kind" --rw=randwrite --bs=4k --iodepth=1 --fsync=1
  # Hot-cache reads: lay the data down first, then read the same range.
  run "randread-$kind" "$kind" --rw=randread --bs=4k --iodepth=1
done

# Resync: disconnect, dirty 256 MiB (or half the volume), reconnect, time until Connected again.
ctl disconnect a >/dev/null
resync_mb=$(( size_mb / 2 < 256 ? size_mb / 2 : 256 ))
head -c "$((resync_mb))M" /dev/urandom > "$work/dirty.bin"
nbdcopy "$work/dirty.bin" "$vigil_uri"
ctl connect a >/dev/null
for _ in $(seq 1 600); do ctl status a | grep -q "connection Connected" && break; sleep 0.05; done
resynced=$(ctl status b | sed -n 's/.*resynced \([0-9.]* [KMG]iB\).*/\1/p')
# Resync time from the source's own log (start and completion lines), not from CLI polling.
to_s() { IFS=:. read -r h m s ms <<<"$1"; echo "$((10#$h * 3600 + 10#$m * 60 + 10#$s)).$ms"; }
start=$(to_s "$(grep "resync to 'b' of" "$work/a.log" | tail -1 | cut -d' ' -f1)")
end=$(to_s "$(grep "resync to 'b' complete" "$work/a.log" | tail -1 | cut -d' ' -f1)")

echo "run at $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$work" "$resync_mb" "$start" "$end" "$resynced" <<'PY'
import json, sys
work, resync_mb, start, end, resynced = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
def job(name):
    text = open(f"{work}/{name}.json").read()
    return json.loads(text[text.index("{"):])["jobs"][0]  # fio may print notes before the JSON
rows = []
for kind, label in (("vigil", "(a) Vigil volume, protocol C, 2 nodes"), ("nbdkit", "(b) nbdkit file plugin"), ("direct", "(c) file directly")):
    seq = job(f"seqwrite-{kind}")["write"]
    sw = job(f"syncwrite-{kind}")
    rr = job(f"randread-{kind}")["read"]
    # fio reports fsync latency separately; the sync-write round trip is write + fsync.
    sync_p99 = sw["write"]["clat_ns"]["percentile"]["99.000000"] / 1000 + sw.get("sync", {}).get("lat_ns", {}).get("percentile", {}).get("99.000000", 0) / 1000
    rows.append((label, seq["bw_bytes"] / 1e6, sw["write"]["iops"], sync_p99, rr["iops"], rr["clat_ns"]["percentile"]["99.000000"] / 1000))
print("| target | seq write 1 MiB QD8 (MB/s) | 4 KiB rand write+fsync QD1 (IOPS) | its p99 write+fsync (µs) | 4 KiB rand read QD1 (IOPS) | read p99 (µs) |")
print("|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:,.0f} | {r[2]:,.0f} | {r[3]:,.0f} | {r[4]:,.0f} | {r[5]:,.0f} |")
a, b = rows[0], rows[1]
print()
print(f"(a)/(b): seq write {a[1]/b[1]:.0%}, sync-write p99 {a[3]/b[3]:.2f}x, reads {a[4]/b[4]:.0%}")
print(f"resync after disconnect: {resync_mb} MiB dirtied, {resynced} moved in {end-start:.2f} s -> {resync_mb*1.048576/(end-start):,.0f} MB/s")
PY
