# Sourced by run.sh, syncsplit.sh and cpu-per-mib.sh: the work directory, a pair of `vigil volume
# serve` processes (volume "vol", protocol C, shared-key link on loopback) and nbdkit, as every volume
# benchmark starts them.
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# volume_workdir PREFIX: makes $work (mktemp -d under ${TMPDIR:-/var/tmp}, on the local disk) with the
# link key $work/vol.key (mode 0600) and the pids array; on exit kills every pid in it and removes $work.
# Call it at the top level of the script (it sets the EXIT trap).
volume_workdir() {
  work="$(mktemp -d "${TMPDIR:-/var/tmp}/$1.XXXXXX")"
  pids=()
  trap volume_cleanup EXIT
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/vol.key"
  chmod 600 "$work/vol.key"
}

volume_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# volume_cli JAR LIBDIR [JVM-OPTIONS...]: sets the cli array, `vigil volume` of that build.
volume_cli() {
  local jar=$1 lib=$2; shift 2
  cli=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$@" -cp "$jar:$lib/*" io.vigil.cli.VolumeCommand)
}

# serve_pair ID SIZE PORT: with the cli array, starts nodes a (Primary, listening on PORT) and b
# (PORT+1) of volume "vol" of SIZE (e.g. 1024M) on $work/ID{a,b}.img, each with its NBD socket
# $work/IDx.nbd, control socket $work/IDx.ctl and log $work/IDx.log; waits until a is Primary and
# Connected (fails with a's log after 20 s); sets vigil_uri to a's export.
serve_pair() {
  local id=$1 size=$2 port=$3 node listen peer role
  for node in a b; do
    if [ "$node" = a ]; then listen=$port peer=$((port + 1)) role=(--primary); else listen=$((port + 1)) peer=$port role=(); fi
    "${cli[@]}" serve --name vol --node "$node" --backing "$work/$id$node.img" --size "$size" --listen "127.0.0.1:$listen" \
      --peer "127.0.0.1:$peer" --key-file "$work/vol.key" --nbd-socket "$work/$id$node.nbd" --control "$work/$id$node.ctl" \
      "${role[@]}" > "$work/$id$node.log" 2>&1 &
    pids+=($!)
  done
  local status=""
  for _ in $(seq 1 100); do
    status="$("${cli[@]}" status vol --control "$work/${id}a.ctl" 2>/dev/null || true)"
    grep -q "connection Connected" <<<"$status" && grep -q "role Primary" <<<"$status" && break
    sleep 0.2
  done
  grep -q "connection Connected" <<<"$status" || { echo "volume did not connect"; cat "$work/${id}a.log"; exit 1; }
  vigil_uri="nbd+unix:///vol?socket=$work/${id}a.nbd"
}

# start_nbdkit SIZE: nbdkit's file plugin serving a new sparse $work/nbdkit.img of SIZE on the unix
# socket $work/nbdkit.nbd; adds it to pids and sets nbdkit_uri.
start_nbdkit() {
  truncate -s "$1" "$work/nbdkit.img"
  nbdkit -U "$work/nbdkit.nbd" -P "$work/nbdkit.pid" file "$work/nbdkit.img"
  for _ in $(seq 1 50); do [ -S "$work/nbdkit.nbd" ] && [ -s "$work/nbdkit.pid" ] && break; sleep 0.1; done
  pids+=("$(cat "$work/nbdkit.pid")")
  nbdkit_uri="nbd+unix:///?socket=$work/nbdkit.nbd"
}
