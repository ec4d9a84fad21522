package io.vigil.agents.volume.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and authenticates every frame with AES-256-GCM; the nonce is a per-direction counter, so
 * a dropped, replayed, reordered or altered frame fails authentication and the link is closed.
 */
final class AeadCodec extends MessageToMessageCodec<ByteBuf, ByteBuf> {
  private static final int TAG_BITS = 128;
  private final String volume;
  private final SecretKeySpec outKey;
  private final SecretKeySpec inKey;
  private final Cipher encrypt;
  private final Cipher decrypt;
  private byte[] inScratch = new byte[0];
  private byte[] outScratch = new byte[0];
  private long outCounter;
  private long inCounter;

  AeadCodec(String volume, byte[] outKey, byte[] inKey) {
    this.volume = volume;
    this.outKey = new SecretKeySpec(outKey, "AES");
    this.inKey = new SecretKeySpec(inKey, "AES");
    try {
      this.encrypt = Cipher.getInstance("AES/GCM/NoPadding");
      this.decrypt = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM unavailable", e);
    }
  }

  private static GCMParameterSpec iv(long counter) {
    byte[] iv = new byte[12];
    for (int i = 0; i < 8; i++) iv[4 + i] = (byte) (counter >>> (56 - 8 * i));
    return new GCMParameterSpec(TAG_BITS, iv);
  }

  // Why arrays: the JDK's AES-GCM intrinsic runs on byte arrays (~4x faster here than on direct
  // ByteBuffers, measured), so frames are sealed and opened array to array, part by part (a write
  // frame is a small header plus the caller's data array, not copied into one buffer first).
  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf plain, List<Object> out) throws GeneralSecurityException {
    encrypt.init(Cipher.ENCRYPT_MODE, outKey, iv(outCounter++));
    int length = plain.readableBytes();
    ByteBuf cipher = ctx.alloc().heapBuffer(length + TAG_BITS / 8);
    byte[] dst = cipher.array();
    int at = cipher.arrayOffset();
    int n = 0;
    for (ByteBuffer part : plain.nioBuffers()) {
      byte[] src;
      int from;
      // The JDK copies its whole output array when the input shares it (pooled buffers share chunks).
      if (part.hasArray() && part.array() != dst) {
        src = part.array();
        from = part.arrayOffset() + part.position();
      } else {
        src = new byte[part.remaining()]; // small messages only: write frames are a header plus the data array
        part.duplicate().get(src);
        from = 0;
      }
      n += encrypt.update(src, from, part.remaining(), dst, at + n);
    }
    n += encrypt.doFinal(dst, at + n);
    cipher.writerIndex(n);
    out.add(cipher);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf sealed, List<Object> out) {
    try {
      decrypt.init(Cipher.DECRYPT_MODE, inKey, iv(inCounter++));
      int length = sealed.readableBytes();
      // Scratch arrays reused frame after frame: the next handler decodes each plain frame completely
      // (copying what it keeps) before the next frame is opened, and separate arrays for input and
      // output spare the JDK's overlap copy.
      if (inScratch.length < length) inScratch = new byte[length];
      if (outScratch.length < length) outScratch = new byte[length];
      sealed.getBytes(sealed.readerIndex(), inScratch, 0, length);
      int n = decrypt.doFinal(inScratch, 0, length, outScratch, 0);
      out.add(Unpooled.wrappedBuffer(outScratch, 0, n));
    } catch (GeneralSecurityException e) {
      throw new PeerProtocolException("volume '" + volume + "': frame " + (inCounter - 1) + " from "
          + ctx.channel().remoteAddress() + " failed authentication (peer lacks the volume key, or the data was altered on the wire)");
    }
  }
}
