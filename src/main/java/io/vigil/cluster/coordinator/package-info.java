/**
 * The coordinator: the leader turns the replicated state into a scheduler run and a plan of
 * actions; every node executes the ready actions addressed to it. The decisions here are pure
 * (state and time in, commands out); the daemon drives them. May use the cluster state, the
 * scheduler, the status model and the configuration model.
 */
package io.vigil.cluster.coordinator;
