#!/usr/bin/env python3
"""Compare Vigil's simulate summaries with Pacemaker's, using the corpus's own canonicaliser.

Usage: compare_corpus.py CORPUS_DIR OURS_DIR
Prints one tab-separated line per case: NAME, placement_match (0/1), summary_match (0/1),
our_parse_ok (0/1). Placement = canonical "Revised Cluster Status" resource lines;
summary = canonical "Transition Summary" lines (instance numbers kept as printed).
"""
import os
import sys

corpus, ours = sys.argv[1], sys.argv[2]
sys.path.insert(0, corpus)
import expected_placement as ep  # noqa: E402

for name in sorted(os.listdir(os.path.join(corpus, "summary"))):
    if not name.endswith(".summary"):
        continue
    case = name[:-len(".summary")]
    exp = ep.parse_summary(open(os.path.join(corpus, "summary", name), encoding="utf-8").read())
    path = os.path.join(ours, name)
    if not os.path.exists(path):
        print("%s\t0\t0\t0" % case)
        continue
    got = ep.parse_summary(open(path, encoding="utf-8").read())
    ok = got["revised"] is not None and not got["unparsed"]
    pl = ok and ep.canonical_resources(exp) == ep.canonical_resources(got)
    tr = ok and ep.canonical_transitions(exp) == ep.canonical_transitions(got)
    print("%s\t%d\t%d\t%d" % (case, pl, tr, ok))
