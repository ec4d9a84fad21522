package io.vigil.config.cib;

/**
 * The file cannot be imported at all (malformed or hostile XML, too large, not a CIB). The message
 * is located ({@code cib.xml:12:7: ...}) and meant for the operator as is.
 */
public final class CibRefusedException extends Exception {
  public CibRefusedException(String message) {
    super(message);
  }

  public CibRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
