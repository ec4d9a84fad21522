package io.vigil.model;

import java.util.regex.Pattern;

/** The rule for ids of resources, constraints, nodes and sets (XML-id-like, as Pacemaker's). */
public final class Ids {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:@+-]{0,254}");

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** @throws IllegalArgumentException naming the id, what it identifies and the accepted form */
  public static String require(String id, String what) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(what + " id '" + id
          + "' is not valid (expected letters, digits, '_', '-', '.', ':' or '@', starting with a letter, digit or '_')");
    }
    return id;
  }
}
