package io.vigil.cluster.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Versioned JSON encoding of commands (the Raft log) and of whole states (snapshots).
 * Decoding never throws: malformed bytes become a {@link Decoded} with an error message.
 */
public final class Codec {
  /** Format version written into every log entry and snapshot. */
  public static final int VERSION = 1;
  /** Largest encoded command accepted, so a bad proposer cannot bloat the log. */
  public static final int MAX_COMMAND_BYTES = 4 << 20;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Codec() {}

  /** Either a value or why the bytes were refused. */
  public record Decoded<T>(T value, String error) {
    public boolean ok() {
      return value != null;
    }
  }

  /** The shared mapper (configured once; thread-safe for reading and writing). */
  public static ObjectMapper json() {
    return JSON;
  }

  public static byte[] encode(Command c) {
    return envelope("command", c);
  }

  public static byte[] encode(ClusterState s) {
    return envelope("state", s);
  }

  public static Decoded<Command> decodeCommand(byte[] bytes) {
    if (bytes.length > MAX_COMMAND_BYTES) {
      return new Decoded<>(null, "command is " + bytes.length + " bytes, more than the limit of " + MAX_COMMAND_BYTES);
    }
    return decode(bytes, "command", Command.class);
  }

  public static Decoded<ClusterState> decodeState(byte[] bytes) {
    return decode(bytes, "state", ClusterState.class);
  }

  private static byte[] envelope(String field, Object value) {
    ObjectNode root = JSON.createObjectNode();
    root.put("v", VERSION);
    root.set(field, JSON.valueToTree(value));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + field + ": " + e.getOriginalMessage(), e);
    }
  }

  private static <T> Decoded<T> decode(byte[] bytes, String field, Class<T> type) {
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null || !root.isObject()) return new Decoded<>(null, "not a JSON object, expected {\"v\":" + VERSION + ",\"" + field + "\":...}");
      JsonNode v = root.get("v");
      if (v == null || !v.canConvertToInt() || v.intValue() != VERSION) {
        return new Decoded<>(null, "unsupported format version " + v + ", expected " + VERSION);
      }
      JsonNode body = root.get(field);
      if (body == null || !body.isObject()) return new Decoded<>(null, "missing '" + field + "' object");
      T value = JSON.treeToValue(body, type);
      if (value == null) return new Decoded<>(null, "empty " + field);
      return new Decoded<>(value, null);
    } catch (IOException | RuntimeException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      return new Decoded<>(null, "malformed " + field + ": " + firstLine(msg));
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
