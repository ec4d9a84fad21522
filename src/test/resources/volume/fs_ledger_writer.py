# Appends 4 KiB records to a file on a mounted filesystem, fsync after each, and records each record
# in a ledger (on another filesystem) only after its fsync returned. Stops after COUNT records,
# after SECONDS, or at the first error (the NBD server behind the filesystem died).
import hashlib
import os
import sys
import time

path, ledger_path, seed, count, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
deadline = time.monotonic() + seconds
with open(ledger_path, "a", buffering=1) as ledger:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.fsync(fd)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(dfd)  # the file's directory entry is durable before the first record counts
    os.close(dfd)
    ledger.write("ready\n")
    for i in range(count):
        if time.monotonic() > deadline:
            break
        record = hashlib.sha256(b"%d:%d" % (seed, i)).digest() * 128
        if os.write(fd, record) != len(record):
            raise IOError("short write of record %d" % i)
        os.fsync(fd)
        ledger.write("ack %d\n" % i)
