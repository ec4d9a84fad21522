# Sourced by run.sh and percon.sh: the peers every balancer benchmark runs next to Vigil's proxy.
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
  nbthread 1
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
