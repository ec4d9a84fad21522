# Shared by the namespace benchmarks (sourced, not run): the lab namespaces are PREFIX-br,
# PREFIX-client and PREFIX-hN, as bin/vigil demo and /work/shared/lab/netns-lab.sh name them.

# netns_purge PREFIX...: SIGKILL every process in those namespaces, then delete them.
netns_purge() {
  local alt ns pids
  alt="$(IFS='|'; echo "$*")"
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^($alt)-(br|client|h[0-9]+)$"); do
    pids="$(ip netns pids "$ns" 2>/dev/null)"
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  return 0
}

# netns_refuse_leftovers PREFIX...: exit 1 naming the first namespace with one of the prefixes.
netns_refuse_leftovers() {
  local ns p
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    for p in "$@"; do
      case "$ns" in "$p"-*) echo "$0: namespace $ns exists (left over?); remove it first" >&2; exit 1 ;; esac
    done
  done
}
