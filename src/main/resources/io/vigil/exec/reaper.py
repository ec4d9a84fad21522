# Vigil agent wrapper (argv[1:] is the agent command; no shell is involved).
# - with "--vigil-cgroup DIR" first, moves itself into that cgroup (v2) before starting the agent, so
#   the agent and everything it starts stay there, even a daemon that calls setsid;
# - leads a new session and process group, so Vigil can kill the whole action;
# - is a child subreaper, so descendants orphaned by a kill come back here and are reaped,
#   even where PID 1 reaps late or never; after SIGUSR1 (Vigil is killing the timed-out group)
#   it stays until every descendant has been reaped;
# - relays the agent's stdout+stderr through its own pipe and exits as soon as the agent has
#   exited and the output it left in the pipe is copied, like Pacemaker: a daemon the agent
#   started and that kept the agent's stdout open cannot hold the action open.
import os, select, signal, sys

draining = False


def _on_usr1(signum, frame):
    global draining
    draining = True


signal.signal(signal.SIGUSR1, _on_usr1)
try:
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except Exception:
    pass
try:
    os.setsid()
except OSError:
    pass
argv = sys.argv[1:]
if len(argv) >= 2 and argv[0] == "--vigil-cgroup":
    try:
        with open(os.path.join(argv[1], "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    except OSError:
        pass  # no cgroup: the process group still holds the action
    argv = argv[2:]
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda signum, frame: None)
out_r, out_w = os.pipe()
pid = os.fork()
if pid == 0:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # Python ignores these; an ignored signal stays ignored across exec (Pacemaker resets SIGPIPE too).
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    for fd in (wake_r, wake_w, out_r, out_w):
        os.close(fd)
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("vigil: cannot execute %s: %s\n" % (argv[0], e.strerror)).encode())
        os._exit(127 if e.errno == 2 else 126)
os.close(out_w)
os.set_blocking(out_r, False)
status = None
out_open = True


def write_all(data):
    while data:
        try:
            n = os.write(1, data)
        except OSError:
            return
        data = data[n:]


def pump():
    global out_open
    while out_open:
        try:
            data = os.read(out_r, 65536)
        except BlockingIOError:
            return
        if not data:
            out_open = False
            return
        write_all(data)


def reap():
    """Reaps every exited child; returns False when no child is left at all."""
    global status
    while True:
        try:
            p, st = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if p == 0:
            return True
        if p == pid:
            code = os.waitstatus_to_exitcode(st)
            status = code if code >= 0 else 128 - code


while True:
    select.select([wake_r] + ([out_r] if out_open else []), [], [], 1.0)
    try:
        os.read(wake_r, 4096)
    except BlockingIOError:
        pass
    pump()
    children_left = reap()
    if status is not None and (not draining or not children_left):
        pump()
        break
os._exit(status)
