package io.vigil.exec.metadata;

/** Meta-data that is not well-formed or not OCF; the message says where and what was expected. */
public final class MetadataException extends Exception {
  public MetadataException(String message) {
    super(message);
  }

  public MetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
