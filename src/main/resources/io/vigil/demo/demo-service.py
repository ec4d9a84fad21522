#!/usr/bin/python3
"""Vigil demo service: answers every HTTP request with "served by NODE".

Started by ocf:heartbeat:anything, which runs it through `su -` (the environment is reset), so
the node is found from the agent's pid file: DEMO_DIR/NODE-run/anything_web-http.pid holds this
process's pid on the node that started it. Plain sockets, no http.server: a failover waits for
this process to answer, so it starts in a few tens of milliseconds.
"""
import glob, os, socket, sys, threading

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
bind, port, demo_dir = args.get("--bind", "0.0.0.0"), int(args.get("--port", "8080")), args["--demo-dir"]
node = None


def whoami():
    global node
    if node is None:
        for f in glob.glob(os.path.join(demo_dir, "*-run", "anything_web-http.pid")):
            try:
                with open(f) as fh:
                    if fh.read().strip() == str(os.getpid()):
                        node = os.path.basename(os.path.dirname(f))[: -len("-run")]
            except OSError:
                pass
    return node or "?"


def serve(conn):
    try:
        conn.settimeout(2)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 8192:
            chunk = conn.recv(1024)
            if not chunk:
                break
            data += chunk
        body = ("served by %s\n" % whoami()).encode()
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % len(body) + body)
    except OSError:
        pass
    finally:
        conn.close()


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((bind, port))
s.listen(256)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
