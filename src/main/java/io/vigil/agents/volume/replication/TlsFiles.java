package io.vigil.agents.volume.replication;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Builds the mutual-TLS security of a peer link from PEM files (certificate chain, PKCS#8 key, CA bundle). */
public final class TlsFiles {
  private TlsFiles() {}

  /**
   * Both sides present {@code cert} and require a certificate signed by {@code ca}; TLS 1.3 only.
   * Host names are not checked: the peer is whoever holds a certificate of the cluster's CA.
   */
  public static LinkSecurity.MutualTls load(Path cert, Path key, Path ca) throws IOException {
    for (Path p : new Path[] {cert, key, ca}) {
      if (!Files.isReadable(p)) throw new IOException("TLS file " + p + " is missing or unreadable");
    }
    try {
      SslContext server = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK)
          .trustManager(ca.toFile()).clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
      SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).keyManager(cert.toFile(), key.toFile())
          .trustManager(ca.toFile()).protocols("TLSv1.3").endpointIdentificationAlgorithm(null).build();
      return new LinkSecurity.MutualTls(server, client);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IOException("cannot load TLS files (cert " + cert + ", key " + key + ", CA " + ca + "): " + e.getMessage(), e);
    }
  }
}
