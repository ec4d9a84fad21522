package io.vigil.agents.volume.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.security.SecureRandom;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key agreement for the shared-key transport. Each side sends a magic and a fresh 32-byte nonce;
 * both then derive one AES-256-GCM key per direction from the shared key, the volume name and both
 * nonces, and replace this handler with {@link AeadCodec}. A peer without the key cannot produce a
 * frame that decrypts, so the first real message (Hello) authenticates it; fresh nonces on both sides
 * stop replay of recorded sessions, and per-direction keys stop reflection.
 */
final class SharedKeyHandshake extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SharedKeyHandshake.class);
  private static final long MAGIC = 0x5647564F4C4B3031L; // "VGVOLK01"
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SharedKey key;
  private final String volume;
  private final boolean client;
  private final byte[] myNonce = new byte[32];

  SharedKeyHandshake(SharedKey key, String volume, boolean client) {
    this.key = key;
    this.volume = volume;
    this.client = client;
    RANDOM.nextBytes(myNonce);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(ctx.alloc().buffer(40).writeLong(MAGIC).writeBytes(myNonce));
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (frame.readableBytes() != 40 || frame.readLong() != MAGIC) {
        log.warn("volume '{}': peer {} did not start a shared-key handshake; closing", volume, ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      byte[] peerNonce = new byte[32];
      frame.readBytes(peerNonce);
      if (Arrays.equals(peerNonce, myNonce)) {
        log.warn("volume '{}': peer {} echoed our nonce (reflection); closing", volume, ctx.channel().remoteAddress());
        ctx.close();
        return;
      }
      byte[] cn = client ? myNonce : peerNonce;
      byte[] sn = client ? peerNonce : myNonce;
      byte[] c2s = key.derive("c2s", volume, cn, sn);
      byte[] s2c = key.derive("s2c", volume, cn, sn);
      ctx.pipeline().replace(this, "aead", new AeadCodec(volume, client ? c2s : s2c, client ? s2c : c2s));
      ctx.fireUserEventTriggered(SecureReady.INSTANCE);
    } finally {
      frame.release();
    }
  }
}
