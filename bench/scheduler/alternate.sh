#!/usr/bin/env bash
# Whole-command wall time, alternating runs on one file: `bin/vigil simulate --cib FILE` (as an
# operator runs it: launcher, JVM start, everything) and Pacemaker's `crm_simulate -R -x FILE`,
# N rounds, each timed by /usr/bin/time -f %e. Prints every round, the medians and their ratio, and
# the load average before and after (other work on the machine slows both; alternating spreads it).
# Usage: bench/scheduler/alternate.sh [SIZE] [N]   (default 16x1000 9)
# VIGIL_OTHER=DIR adds a third column: DIR/bin/vigil (e.g. a checkout of an older commit).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
size="${1:-16x1000}"
rounds="${2:-9}"
work="$(mktemp -d /tmp/vigil-alternate.XXXXXX)"
trap 'rm -rf "$work"' EXIT
f="$work/cib-$size.xml"
python3 "$root/bench/scheduler/gen_cib.py" "${size%x*}" "${size#*x}" "$f"
# one untimed run each: builds the jar / AOT cache if needed and warms the page cache
"$root/bin/vigil" simulate --cib "$f" >/dev/null 2>&1 || true
[ -n "${VIGIL_OTHER:-}" ] && { "$VIGIL_OTHER/bin/vigil" simulate --cib "$f" >/dev/null 2>&1 || true; }
crm_simulate -R -x "$f" >/dev/null 2>&1 || true

timed() { # prints the wall seconds of "$@" (exit status ignored: 3 means unsupported notes)
  /usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/t"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "file: $size ($(stat -c %s "$f") bytes), $rounds rounds; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %10s %14s%s\n' round "vigil s" "crm_simulate s" "${VIGIL_OTHER:+   other vigil s}"
vs=(); cs=(); os=()
for i in $(seq "$rounds"); do
  v=$(timed "$root/bin/vigil" simulate --cib "$f"); vs+=("$v")
  c=$(timed crm_simulate -R -x "$f"); cs+=("$c")
  o=""
  if [ -n "${VIGIL_OTHER:-}" ]; then o=$(timed "$VIGIL_OTHER/bin/vigil" simulate --cib "$f"); os+=("$o"); fi
  printf '%-6s %10s %14s%s\n' "$i" "$v" "$c" "${o:+   $o}"
done
vm=$(median "${vs[@]}"); cm=$(median "${cs[@]}")
echo "median: vigil $vm s, crm_simulate $cm s, ratio $(echo "scale=1; $cm / $vm" | bc)x${VIGIL_OTHER:+, other vigil $(median "${os[@]}") s}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
