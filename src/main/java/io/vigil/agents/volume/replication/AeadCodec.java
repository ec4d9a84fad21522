package io.vigil.agents.volume.replication;

import io.netty.buffer.ByteBuf;
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

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf plain, List<Object> out) throws GeneralSecurityException {
    encrypt.init(Cipher.ENCRYPT_MODE, outKey, iv(outCounter++));
    ByteBuffer in = plain.nioBuffer();
    ByteBuf cipher = ctx.alloc().heapBuffer(encrypt.getOutputSize(in.remaining()));
    ByteBuffer dst = cipher.nioBuffer(0, cipher.capacity());
    int n = encrypt.doFinal(in, dst);
    cipher.writerIndex(n);
    out.add(cipher);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf sealed, List<Object> out) {
    try {
      decrypt.init(Cipher.DECRYPT_MODE, inKey, iv(inCounter++));
      ByteBuffer in = sealed.nioBuffer();
      ByteBuf plain = ctx.alloc().heapBuffer(Math.max(0, in.remaining()));
      ByteBuffer dst = plain.nioBuffer(0, plain.capacity());
      int n = decrypt.doFinal(in, dst);
      plain.writerIndex(n);
      out.add(plain);
    } catch (GeneralSecurityException e) {
      throw new PeerProtocolException("volume '" + volume + "': frame " + (inCounter - 1) + " from "
          + ctx.channel().remoteAddress() + " failed authentication (peer lacks the volume key, or the data was altered on the wire)");
    }
  }
}
