#!/usr/bin/env bash
# Where the proxy's CPU per new connection goes: one Vigil proxy (1 event-loop thread) in front of
# nginx, wrk with "Connection: close" for ${SECS:-8} s while `perf record -F 999 -g` samples every
# thread of the proxy; prints the samples per thread, then for the event-loop thread the split kernel /
# JIT code / libjvm / native transport and its top kernel and Java symbols. The JVM runs with -XX:+PreserveFramePointer and perf-<pid>.map symbols
# (-XX:+DumpPerfMapAtExit) so JIT frames have names.
# TARGET=haproxy profiles HAProxy (1 thread) in the same way instead, for comparing where the kernel's
# time per connection goes (its thread is "haproxy"; JIT and libjvm lines are then empty).
# Usage: [TRANSPORT=io_uring|epoll|nio] [TARGET=vigil|haproxy] bench/balancer/profile.sh
# Needs: wrk nginx haproxy perf python3. Wrap in `flock /work/wt/bench.lock ...` on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
transport="${TRANSPORT:-io_uring}"
secs="${SECS:-8}"
. "$root/bench/balancer/peers.sh"
bench_workdir vigil-profile

NGINX=18280 HAPROXY=18281 VIGIL=18282
start_peers $NGINX $HAPROXY
start_proxy "$VIGIL" "$transport" "$threads" "$root" "${proxy_jvm_opts[@]}" \
  -XX:+UnlockDiagnosticVMOptions -XX:+PreserveFramePointer -XX:+DumpPerfMapAtExit
vpid=$proxy_pid
for i in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$VIGIL/small" && break; sleep 0.1; done
target="${TARGET:-vigil}"
case "$target" in
  vigil) ppid_target=$vpid port=$VIGIL ;;
  haproxy) ppid_target=$haproxy_pid port=$HAPROXY ;;
  *) echo "TARGET is vigil or haproxy, not $target"; exit 2 ;;
esac
for i in 1 2; do wrk -t2 -c50 -d8s -H "Connection: close" "http://127.0.0.1:$port/small" >/dev/null 2>&1; done  # warm-up (JIT)

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, target $target, transport $transport"
perf record -q -F 999 -g -p "$ppid_target" -o "$work/perf.data" 2>/dev/null &
ppid=$!
sleep 0.5
reqs=$(wrk -t2 -c50 -d"${secs}s" -H "Connection: close" "http://127.0.0.1:$port/small" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
kill -INT $ppid; wait $ppid 2>/dev/null || true
kill "$vpid"; wait "$vpid" 2>/dev/null || true  # writes /tmp/perf-<pid>.map for the JIT frames
echo "requests during the profile: $reqs"
echo "samples by thread (C1/C2 compiler threads still at work show here, not in the event loop):"
perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -6 || true
loop=$(perf report -i "$work/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -o 'multiThreadIoEv[^ ]*\|haproxy' | head -1 || true)
nsamples=$(perf report -i "$work/perf.data" --comms "$loop" --no-children --sort comm -n --stdio -g none 2>/dev/null | awk '/^ +[0-9.]+%/ {print $2; exit}')
echo "event-loop thread: $nsamples samples at 999 Hz, about $(( ${nsamples:-0} * 1001000 / ${reqs:-1} / 1000 )) µs of CPU per request (multiply a percentage below by it)"
echo
echo "event-loop thread ($loop) by object:"
perf report -i "$work/perf.data" --comms "$loop" --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -6 || true
echo
echo "event-loop thread, top symbols (self, % of the thread's samples):"
perf report -i "$work/perf.data" --comms "$loop" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -${TOP:-30} || true
echo
echo "event-loop thread, where the kernel time goes (% of the thread's samples, callees included):"
perf report -i "$work/perf.data" --comms "$loop" --children --sort sym --stdio -g none 2>/dev/null \
  | grep -E '\] (__sys_connect|io_connect|__inet_hash_connect|inet_hash_connect|__sys_accept4|do_accept|io_accept|__sys_socket|__x64_sys_socket|__sys_shutdown|io_shutdown|__x64_sys_close|io_close|__fput|tcp_close|tcp_sendmsg|tcp_recvmsg|tcp_v4_rcv|net_rx_action|__do_softirq|handle_softirqs|__x64_sys_io_uring_enter|io_submit_sqes|__x64_sys_epoll_ctl|do_epoll_wait|__x64_sys_epoll_pwait2|__x64_sys_getsockname|__x64_sys_getsockopt|__x64_sys_setsockopt|__x64_sys_getpeername|tcp_v4_connect|__sys_getsockname|io_poll_add|io_poll_task_func|io_handle_tw_list|tctx_task_work|do_syscall_64|entry_SYSCALL_64)$' \
  | awk '{print "  " $1 " " $4}' || true
[ -n "${KEEP:-}" ] && cp "$work/perf.data" "$KEEP" && cp "/tmp/perf-$vpid.map" "$KEEP.map" 2>/dev/null
rm -f "/tmp/perf-$vpid.map"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
