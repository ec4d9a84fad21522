package io.vigil.cli;

import picocli.CommandLine;

/**
 * Turns an unexpected exception in a command into one clear line on stderr and exit code 2.
 * The stack trace is printed only with {@code VIGIL_DEBUG=1}; operators see what failed, not Java.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int EXIT_INTERNAL = 2;

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + msg);
    if ("1".equals(System.getenv("VIGIL_DEBUG"))) {
      ex.printStackTrace(cl.getErr());
    }
    return EXIT_INTERNAL;
  }
}
