#!/usr/bin/env bash
# CPU used by idle daemons: a 3-node demo cluster in namespaces (no fault) runs idle; after
# WARM seconds, each vigild's user+system CPU (/proc/PID/stat, utime+stime) is read over MEASURE
# seconds and printed as % of one core. Usage: bench/cluster/idle-cpu.sh [--fast] [WARM] [MEASURE]
# JIT=quick|tiered chooses the daemons' JIT (vigil demo --jit; default: quick with --fast, else tiered).
# (defaults 45 and 30). Compare two builds by running it from two checkouts in one session.
# Root needed (network namespaces); the demo is torn down on exit.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
fast=()
if [ "${1:-}" = "--fast" ]; then fast=(--fast); shift; fi
warm="${1:-45}" measure="${2:-30}"
[[ "$warm" =~ ^[0-9]+$ && "$measure" =~ ^[0-9]+$ ]] && ((measure >= 1 && measure <= 600 && warm <= 600)) \
  || { echo "usage: $0 [--fast] [WARM 0..600] [MEASURE 1..600]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0: needs root (network namespaces)" >&2; exit 2; }
dir="$(mktemp -d /tmp/vigil-idle-cpu.XXXXXX)"
trap 'bin/vigil demo --stop --dir "$dir/demo" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
jit=()
[ -n "${JIT:-}" ] && jit=(--jit "$JIT")
bin/vigil demo --mode netns --fault none "${fast[@]}" "${jit[@]}" --dir "$dir/demo" --netns-prefix vidle > "$dir/demo.out" 2>&1 \
  || { echo "$0: the demo did not start; its output:" >&2; cat "$dir/demo.out" >&2; exit 1; }
sleep "$warm"
mapfile -t pids < <(pgrep -f "java.*daemon run --state-dir $dir/demo/" || true)
((${#pids[@]} > 0)) || { echo "$0: no vigild of $dir/demo found" >&2; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A before
for p in "${pids[@]}"; do before[$p]=$(ticks "$p"); done
load="$(cut -d' ' -f1 /proc/loadavg)"
sleep "$measure"
hz="$(getconf CLK_TCK)"
echo "idle vigild CPU, ${fast[*]:-default} settings${JIT:+, $JIT JIT}, ${measure} s after ${warm} s idle (load $load at the start), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for p in "${pids[@]}"; do
  node="$(tr '\0' ' ' < "/proc/$p/cmdline" | grep -o "$dir/demo/[a-z]*" | head -1 | xargs basename)"
  awk -v n="$node" -v a="${before[$p]}" -v b="$(ticks "$p")" -v s="$measure" -v hz="$hz" \
    'BEGIN { printf "  %-8s %5.1f %% of a core\n", n, (b - a) * 100 / (s * hz) }'
done
