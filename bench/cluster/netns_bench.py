#!/usr/bin/python3
"""Helpers for bench/cluster/netns-failover.sh and idle-soak.sh (no third-party modules).

  netns_bench.py fault BRIDGE_NS PORT HOST_NS
      power loss of a lab host: bridge port down, then SIGKILL of every process in HOST_NS;
      prints the CLOCK_MONOTONIC time (ns) taken just before the link went down.
  netns_bench.py outage PROBE_LOG FAULT_NS VICTIM
      one JSON object from the prober's log (lines "start_ns end_ns result node"):
      total_ms = fault -> end of the first successful probe, started after the fault, answered by
      another host (the demo's definition); dual_active_ms = how long the victim still answered
      after that; failed_probes = failed attempts started after the fault.
  netns_bench.py table RESULTS.jsonl
      the summary table of netns-failover.sh.
  netns_bench.py phases RESULTS.jsonl LOGDIR
      where Vigil's failover time goes, from each run's history (LOGDIR/NAME.history.json):
      medians per configuration of detection, fencing, the gaps before each start (replan and
      dispatch) and the starts themselves, and start -> first answer seen by the client.
  netns_bench.py soak PROBE_LOG HISTORY.json SINCE_MILLIS
      the summary of idle-soak.sh (one JSON object, then a table).
"""
import json, os, signal, statistics, subprocess, sys, time


def probes(path):
    out = []
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            p = line.split()
            if len(p) != 4 or line.startswith("#"):
                continue
            try:
                out.append((int(p[0]), int(p[1]), p[2], "" if p[3] == "-" else p[3]))
            except ValueError:
                pass  # a line cut by a kill
    return out


def ns_pids(ns):
    r = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
    return [int(x) for x in r.stdout.split()]


def fault(bridge_ns, port, host_ns):
    t = time.monotonic_ns()
    subprocess.run(["ip", "-n", bridge_ns, "link", "set", port, "down"], check=True)
    for pid in ns_pids(host_ns):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    print(t)


def outage(log, fault_ns, victim):
    ps = probes(log)
    after = [p for p in ps if p[0] >= fault_ns]
    new = [p for p in after if p[2] == "ok" and p[3] not in (victim, "", "?")]
    first = min(new, key=lambda p: p[1]) if new else None
    total = max(0, (first[1] - fault_ns) // 1_000_000) if first else None
    dual = 0
    if first:
        old_after = [p[1] for p in after if p[2] == "ok" and p[3] == victim and p[1] > first[1]]
        dual = (max(old_after) - first[1]) // 1_000_000 if old_after else 0
    before = [p for p in ps if p[0] < fault_ns and p[2] == "ok"]
    print(json.dumps({"victim": victim, "new_node": first[3] if first else None, "total_ms": total,
                      "dual_active_ms": dual, "failed_probes": sum(1 for p in after if p[2] != "ok"),
                      "ok_before_fault": len(before)}))


def med(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    m = statistics.median(xs)
    return "%d [%d-%d]" % (round(m), min(xs), max(xs))


def table(path):
    rows = {}
    order = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            key = (r["system"], r["settings"], r["fault"])
            if key not in rows:
                rows[key] = []
                order.append(key)
            rows[key].append(r)
    head = ("system", "settings", "fault", "ok/runs", "total_ms median [min-max]", "detected_ms", "fenced_ms",
            "recovered_ms", "dual_active max", "failed probes median", "setup failures")
    lines = []
    for key in order:
        setup = sum(1 for r in rows[key] if r.get("setup_failed"))
        rs = [r for r in rows[key] if not r.get("setup_failed")]
        ok = [r for r in rs if r.get("total_ms") is not None]
        dual = [r.get("dual_active_ms") for r in rs if r.get("dual_active_ms") is not None]
        fp = [r.get("failed_probes") for r in ok if r.get("failed_probes") is not None]
        lines.append((key[0], key[1], key[2], "%d/%d" % (len(ok), len(rs)), med([r["total_ms"] for r in ok]),
                      med([r.get("detected_ms") for r in ok]), med([r.get("fenced_ms") for r in ok]),
                      med([r.get("recovered_ms") for r in ok]), str(max(dual)) if dual else "-",
                      str(round(statistics.median(fp))) if fp else "-", str(setup)))
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for l in lines:
        print("| " + " | ".join(l) + " |")
    errors = sorted(set(r.get("error", "") for rs in rows.values() for r in rs if r.get("setup_failed")))
    for e in errors:
        print("setup failure (the cluster never got to the fault; the run was repeated): " + e)
    loads = [r.get("load1") for rs in rows.values() for r in rs if r.get("load1") is not None]
    if loads:
        print("\nload average (1 min) at the start of the runs: median %.1f, min %.1f, max %.1f (2 cores)"
              % (statistics.median(loads), min(loads), max(loads)))


def phases(results, logdir):
    import datetime
    rows = {}
    with open(results) as f:
        for line in f:
            r = json.loads(line)
            if r.get("system") != "vigil" or r.get("total_ms") is None:
                continue
            name = "vigil-%s-%s-%s" % (r["settings"], r["fault"], r["run"])
            try:
                with open(os.path.join(logdir, name + ".history.json")) as h:
                    ev = json.load(h)["events"]
            except (OSError, ValueError, KeyError):
                continue
            fault = datetime.datetime.fromisoformat(r["fault_at"].replace("Z", "+00:00")).timestamp() * 1000
            ev = [e for e in ev if e["timeMillis"] >= fault]
            def first(pred):
                return next((e for e in ev if pred(e)), None)
            lost = first(lambda e: e["kind"] == "NODE" and e["node"] == r["victim"] and e["text"].startswith("node lost"))
            fence = first(lambda e: e["kind"] == "FENCING" and e["node"] == r["victim"])
            ip = first(lambda e: e["kind"] == "ACTION" and e["resource"] == "web-ip" and e["text"].startswith("start rc 0"))
            http = first(lambda e: e["kind"] == "ACTION" and e["resource"] == "web-http" and e["text"].startswith("start rc 0"))
            if not (lost and fence and ip and http):
                continue
            t = lambda e: e["timeMillis"] - fault
            rows.setdefault((r["settings"], r["fault"]), []).append({
                "fault -> lost": t(lost),
                "lost -> fenced": t(fence) - t(lost),
                "fenced -> ip start begins": t(ip) - ip["durationMillis"] - t(fence),
                "ip start": ip["durationMillis"],
                "ip done -> http start begins": t(http) - http["durationMillis"] - t(ip),
                "http start": http["durationMillis"],
                "http done -> client answer": r["total_ms"] - t(http),
                "total": r["total_ms"]})
    if not rows:
        return
    cols = list(next(iter(rows.values()))[0].keys())
    print("| vigil settings / fault | runs | " + " | ".join(cols) + " |")
    print("|" + "---|" * (len(cols) + 2))
    for (settings, fault), rs in rows.items():
        print("| %s / %s | %d | " % (settings, fault, len(rs))
              + " | ".join(str(round(statistics.median([x[c] for x in rs]))) for c in cols) + " |")
    print("(medians in ms; a start's time is recorded when its result is committed, its duration by the node that ran it)")


def soak(log, history, since_millis):
    ps = probes(log)
    ok = sum(1 for p in ps if p[2] == "ok")
    failed = [p for p in ps if p[2] != "ok"]
    run, longest, longest_at = 0, 0, None
    for p in sorted(ps):
        if p[2] == "ok":
            run = 0
        else:
            run += 1
            if run > longest:
                longest, longest_at = run, p[0]
    nodes = set(p[3] for p in ps if p[2] == "ok")
    switches = sum(1 for a, b in zip([p for p in ps if p[2] == "ok"], [p for p in ps if p[2] == "ok"][1:]) if a[3] != b[3])
    with open(history) as f:
        ev = [e for e in json.load(f).get("events", []) if e.get("timeMillis", 0) >= since_millis]
    lost = [e for e in ev if e["kind"] == "NODE" and e["text"].startswith("node lost")]
    fencing = [e for e in ev if e["kind"] == "FENCING"]
    transitions = [e for e in ev if e["kind"] == "TRANSITION"]
    starts = [e for e in ev if e["kind"] == "ACTION" and (e["text"].startswith("start") or e["text"].startswith("stop"))]
    failures = [e for e in ev if e["kind"] == "FAILURE"]
    summary = {"probes": len(ps), "ok": ok, "failed": len(failed),
               "failed_by_kind": {k: sum(1 for p in failed if p[2] == k) for k in sorted(set(p[2] for p in failed))},
               "max_consecutive_failed": longest, "answering_nodes": sorted(nodes), "node_switches": switches,
               "node_lost": len(lost), "fencing": len(fencing), "transitions": len(transitions),
               "start_stop_actions": len(starts), "failures": len(failures),
               "events": [{k: e[k] for k in ("timeMillis", "kind", "node", "resource", "text")} for e in ev
                          if e in lost + fencing + transitions + starts + failures][:50]}
    print(json.dumps(summary))
    spurious = len(fencing) + len(starts) + switches
    print()
    print("| what | count |")
    print("|---|---|")
    print("| spurious failovers (fencing + resource start/stop + answering-node switches; must be 0) | %d |" % spurious)
    print("| node-lost events | %d |" % len(lost))
    print("| fencing events | %d |" % len(fencing))
    print("| transitions | %d |" % len(transitions))
    print("| resource failures | %d |" % len(failures))
    print("| probes (ok / failed) | %d / %d |" % (ok, len(failed)))
    print("| max consecutive failed probes | %d |" % longest)
    lat = sorted((p[1] - p[0]) / 1e6 for p in ps if p[2] == "ok")
    if lat:
        pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print("| answer time of ok probes, p50 / p99 / max (ms) | %.1f / %.1f / %.1f |" % (pct(0.5), pct(0.99), lat[-1]))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "fault" and len(argv) == 5:
        fault(*argv[2:])
    elif cmd == "outage" and len(argv) == 5:
        outage(argv[2], int(argv[3]), argv[4])
    elif cmd == "table" and len(argv) == 3:
        table(argv[2])
    elif cmd == "phases" and len(argv) == 4:
        phases(argv[2], argv[3])
    elif cmd == "soak" and len(argv) == 5:
        soak(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
