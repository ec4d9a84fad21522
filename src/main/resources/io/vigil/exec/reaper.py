# Vigil agent wrapper: leads a new session, becomes a child subreaper, runs the agent (argv[1:])
# and exits with its status. After SIGUSR1 (sent by Vigil when the action timed out and its
# process group is being killed) it stays until every descendant has been reaped, so nothing is
# left as a zombie even when PID 1 does not reap orphans. No shell is involved.
import os, signal, sys

draining = False


def _drain(signum, frame):
    global draining
    draining = True


signal.signal(signal.SIGUSR1, _drain)
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
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        sys.stderr.write("vigil: cannot execute %s: %s\n" % (argv[0], e.strerror))
        sys.stderr.flush()
        os._exit(127 if e.errno == 2 else 126)
status = 1
while True:
    try:
        p, st = os.waitpid(-1, 0)
    except ChildProcessError:
        break
    if p == pid:
        status = os.waitstatus_to_exitcode(st)
        if status < 0:
            status = 128 - status
        if not draining:
            break
while True:
    try:
        p, st = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if p == 0:
        break
os._exit(status)
