/**
 * Mode ipvs: the exact ipvsadm(8) argument lists that program kernel IPVS (NAT, DR, TUN) for a
 * virtual service, and a runner that executes them without a shell. Depends on the balancer config records.
 */
package io.vigil.agents.balancer.ipvs;
