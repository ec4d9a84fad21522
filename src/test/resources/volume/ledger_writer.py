# Writes 4 KiB blocks at random aligned offsets through NBD, QD1, and records each write in a
# ledger before ("intent") and after its acknowledgement ("ack"). Runs until done or the server dies.
import hashlib
import random
import sys

import nbd

uri, ledger_path, seed, count, span = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
h = nbd.NBD()
h.connect_uri(uri)
blocks = min(h.get_size(), span) // 4096
rnd = random.Random(seed)
with open(ledger_path, "a", buffering=1) as ledger:
    for i in range(count):
        off = rnd.randrange(0, blocks) * 4096
        data = hashlib.sha256(b"%d:%d" % (seed, i)).digest() * 128
        ledger.write("intent %d %d\n" % (i, off))
        h.pwrite(data, off)
        ledger.write("ack %d %d\n" % (i, off))
