package io.vigil.cluster.raft;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.cluster.state.Codec;
import io.vigil.cluster.state.Result;
import java.io.IOException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/** Encodes the state machine's answers (results) for Ratis messages. */
final class RaftCodec {
  private RaftCodec() {}

  static ByteString encodeResult(Result r) {
    try {
      return ByteString.copyFrom(Codec.json().writeValueAsBytes(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode result", e);
    }
  }

  static Result decodeResult(ByteString bytes) throws IOException {
    return Codec.json().readValue(bytes.toByteArray(), Result.class);
  }
}
