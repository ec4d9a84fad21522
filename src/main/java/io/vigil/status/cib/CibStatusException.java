package io.vigil.status.cib;

/** A CIB that cannot be read at all: not XML, not a CIB, or unsafe XML (DTDs, entities). */
public final class CibStatusException extends Exception {
  public CibStatusException(String message, Throwable cause) {
    super(message, cause);
  }

  public CibStatusException(String message) {
    super(message);
  }
}
