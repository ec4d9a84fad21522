# Sourced by run.sh, percon.sh and profile.sh: the work directory and the peers every balancer
# benchmark runs next to Vigil's proxy.
# bench_workdir PREFIX: makes $work (mktemp -d /tmp/PREFIX.XXXXXX) and the pids array, and on exit
# kills every pid in it and nginx, then removes $work; raises the descriptor limit (2 per proxied
# connection). Call it at the top level of the script (it sets the EXIT trap).
# proxy_jvm_opts: the Vigil proxy's JVM flags in every balancer benchmark (PROXY_JVM_OPTS overrides;
# vigild itself runs ZGC, bin/vigild; percon.sh also takes JVM_<build name> per build).
read -r -a proxy_jvm_opts <<< "${PROXY_JVM_OPTS:--XX:+UseSerialGC -Xms64m -Xmx128m}"
# THREADS: HAProxy's nbthread and every Vigil proxy's event-loop threads alike (default 1; both
# programs' own default is one per CPU).
threads="${THREADS:-${VIGIL_THREADS:-1}}"

bench_workdir() {
  work="$(mktemp -d "/tmp/$1.XXXXXX")"
  pids=()
  trap bench_cleanup EXIT
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}

# start_peers NGINX_PORT HAPROXY_PORT: nginx (1 worker) serving $work/www and HAProxy in mode tcp
# (1 thread) in front of it, both on loopback; writes $work/www/small (1 KiB); sets haproxy_pid and
# adds it to the caller's pids array (the caller's cleanup kills them and nginx via $work/nginx.pid).
start_peers() {
  local nginx_port=$1 haproxy_port=$2
  chmod 755 "$work"  # nginx workers run as www-data
  mkdir -p "$work/www"
  head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$work/www/small"
  cat > "$work/nginx.conf" <<NGX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 30000; }
worker_rlimit_nofile 65536;
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port backlog=4096; root $work/www; }
}
NGX
  nginx -c "$work/nginx.conf"
  cat > "$work/haproxy.cfg" <<HAP
global
  nbthread $threads
  maxconn 9000  # the hard descriptor limit here is 20000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$haproxy_port
  default_backend be
backend be
  server nginx 127.0.0.1:$nginx_port
HAP
  haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
  haproxy_pid=$!
  pids+=("$haproxy_pid")
  sleep 0.5
  kill -0 "$haproxy_pid" 2>/dev/null || { echo "haproxy did not start:"; cat "$work/haproxy.log"; exit 1; }
}

# start_proxy PORT TRANSPORT THREADS BUILD_DIR [JVM_FLAG...]: one Vigil proxy (wlc, nginx as its only
# real server) on 127.0.0.1:PORT, from BUILD_DIR's target/vigil.jar, with the given JVM flags (else
# proxy_jvm_opts); writes $work/vs-PORT.yaml and $work/vigil-PORT.log, sets proxy_pid and adds it to pids.
start_proxy() {
  local port=$1 transport=$2 threads=$3 dir=$4
  shift 4
  local jvm=("$@")
  [ ${#jvm[@]} -gt 0 ] || jvm=("${proxy_jvm_opts[@]}")
  cat > "$work/vs-$port.yaml" <<VS
name: bench
listen: 127.0.0.1:$port
scheduler: wlc
real-servers: [{address: 127.0.0.1:$NGINX}]
proxy: {threads: $threads, transport: $transport}
VS
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" "${jvm[@]}" \
    -Dio.netty.leakDetection.level=disabled -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$dir/target/vigil.jar:$dir/target/lib/*" io.vigil.cli.BalancerCommand run -f "$work/vs-$port.yaml" --stats-every 0 \
    >"$work/vigil-$port.log" 2>&1 &
  proxy_pid=$!
  pids+=("$proxy_pid")
}
