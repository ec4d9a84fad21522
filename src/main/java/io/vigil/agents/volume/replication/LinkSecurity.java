package io.vigil.agents.volume.replication;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/** How the peer link is protected: mutual TLS, the per-volume shared key, or (tests only) nothing. */
public sealed interface LinkSecurity {
  /** Adds the handlers that end by firing {@link SecureReady}. */
  void install(ChannelPipeline p, String volume, boolean client);

  /** Mutual TLS: both contexts require and verify the other side's certificate against the cluster CA. */
  record MutualTls(SslContext server, SslContext client) implements LinkSecurity {
    @Override
    public void install(ChannelPipeline p, String volume, boolean isClient) {
      p.addFirst("tls", (isClient ? client : server).newHandler(p.channel().alloc()));
      p.addAfter("framing-out", "tls-ready", new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
          if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
              ctx.pipeline().remove(this);
              ctx.fireUserEventTriggered(SecureReady.INSTANCE);
            } else {
              ctx.close();
            }
            return;
          }
          ctx.fireUserEventTriggered(evt);
        }
      });
    }
  }

  /** Per-volume shared key: nonce exchange, then AES-256-GCM frames (see {@link SharedKeyHandshake}). */
  record SharedSecret(SharedKey key) implements LinkSecurity {
    @Override
    public void install(ChannelPipeline p, String volume, boolean client) {
      p.addAfter("framing-out", "handshake", new SharedKeyHandshake(key, volume, client));
    }
  }

  /** No protection at all; only for tests that inspect or corrupt the wire, never a default. */
  record InsecurePlaintext() implements LinkSecurity {
    @Override
    public void install(ChannelPipeline p, String volume, boolean client) {
      p.addAfter("framing-out", "plaintext", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
          ctx.fireChannelActive();
          ctx.pipeline().remove(this);
          ctx.fireUserEventTriggered(SecureReady.INSTANCE);
        }
      });
    }
  }
}
