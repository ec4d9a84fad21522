package io.vigil.exec;

import java.io.PrintWriter;

/**
 * A resource agent written in Java (types ip, volume, balancer plug in here). It follows the OCF
 * contract: actions start, stop, monitor, validate-all (and promote/demote if promotable), exit
 * codes from {@link OcfRc}, meta-data as OCF XML.
 */
public interface BuiltinAgent {
  /** The type name: {@code builtin:<type>}. */
  String type();

  /** OCF meta-data XML describing parameters and actions. */
  String metadataXml();

  /**
   * Runs one action (never meta-data, which {@link #metadataXml} answers) and returns its OCF
   * rc. Must honour interruption: the executor interrupts the thread when the timeout expires.
   */
  int run(Invocation invocation, PrintWriter out) throws Exception;
}
