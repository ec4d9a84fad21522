#!/usr/bin/env python3
"""Synthetic Pacemaker CIB for scheduler benchmarks.

gen_cib.py NODES RESOURCES OUT.xml
Resources: 60% plain primitives, 40% in groups of 4; every 10th primitive has a location
preference, every 7th a colocation with the previous one and every 5th an order after it; one
fence device. Status: every resource runs (start + monitor recorded) on a node chosen round-robin;
node 2 has failed (lost while expected up), so its resources must be fenced and recovered.
"""
import sys

nodes, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
names = ["node%d" % (i + 1) for i in range(nodes)]
res, cons, prims = [], [], []
res.append('<primitive id="fence" class="stonith" type="fence_dummy"/>')
i = 0
grouped = int(count * 0.4) // 4 * 4
g = 0
while i < grouped:
    members = []
    for _ in range(4):
        rid = "r%d" % i
        members.append('<primitive id="%s" class="ocf" provider="pacemaker" type="Dummy">'
                       '<operations><op id="%s-mon" name="monitor" interval="10s"/></operations></primitive>' % (rid, rid))
        prims.append(("g%d" % g, rid))
        i += 1
    res.append('<group id="g%d">%s</group>' % (g, "".join(members)))
    g += 1
while i < count:
    rid = "r%d" % i
    res.append('<primitive id="%s" class="ocf" provider="pacemaker" type="Dummy">'
               '<operations><op id="%s-mon" name="monitor" interval="10s"/></operations></primitive>' % (rid, rid))
    prims.append((rid, rid))
    i += 1
tops = []
for top, rid in prims:
    if not tops or tops[-1] != top:
        tops.append(top)
for k, top in enumerate(tops):
    if k % 10 == 0:
        cons.append('<rsc_location id="loc-%s" rsc="%s" node="%s" score="%d"/>' % (top, top, names[k % nodes], 50 + k % 100))
    if k % 7 == 3:
        cons.append('<rsc_colocation id="col-%s" rsc="%s" with-rsc="%s" score="100"/>' % (top, top, tops[k - 1]))
    if k % 5 == 4:
        cons.append('<rsc_order id="ord-%s" first="%s" then="%s" kind="Mandatory"/>' % (top, tops[k - 1], top))
lrm = {n: [] for n in names}
call = 10
for k, top in enumerate(tops):
    node = names[k % nodes]
    for t2, rid in prims:
        if t2 != top:
            continue
        call += 1
        lrm[node].append(
            '<lrm_resource id="%s" class="ocf" provider="pacemaker" type="Dummy">'
            '<lrm_rsc_op id="%s_last_0" operation="start" interval="0" rc-code="0" op-status="0" call-id="%d" '
            'transition-key="1:1:0:bench" last-rc-change="1700000000"/>'
            '<lrm_rsc_op id="%s_monitor_10000" operation="monitor" interval="10000" rc-code="0" op-status="0" '
            'call-id="%d" transition-key="2:1:0:bench" last-rc-change="1700000000"/></lrm_resource>'
            % (rid, rid, call, rid, call + 1))
        call += 1
lrm[names[0]].append('<lrm_resource id="fence" class="stonith" type="fence_dummy">'
                     '<lrm_rsc_op id="fence_last_0" operation="start" interval="0" rc-code="0" op-status="0" '
                     'call-id="2" transition-key="1:1:0:bench"/></lrm_resource>')
states = []
for idx, n in enumerate(names):
    failed = idx == 1 and nodes > 1
    states.append('<node_state id="%d" uname="%s" in_ccm="%s" crmd="%s" join="member" expected="member">'
                  '<lrm id="%d"><lrm_resources>%s</lrm_resources></lrm></node_state>'
                  % (idx + 1, n, "false" if failed else "true", "offline" if failed else "online", idx + 1,
                     "".join(lrm[n])))
with open(out, "w") as f:
    f.write('<cib validate-with="pacemaker-3.0" have-quorum="1" dc-uuid="1" execution-date="1700000100" '
            'admin_epoch="0" epoch="1" num_updates="0">\n<configuration><crm_config>'
            '<cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="true"/>'
            '<nvpair id="o-nq" name="no-quorum-policy" value="ignore"/></cluster_property_set></crm_config>\n<nodes>')
    f.write("".join('<node id="%d" uname="%s"/>' % (k + 1, n) for k, n in enumerate(names)))
    f.write('</nodes>\n<resources>\n%s\n</resources>\n<constraints>\n%s\n</constraints>\n</configuration>\n'
            % ("\n".join(res), "\n".join(cons)))
    f.write('<status>\n%s\n</status>\n</cib>\n' % "\n".join(states))
