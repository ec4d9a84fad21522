package io.vigil.cluster.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's TLS material in {@code STATE_DIR/tls/}: {@code ca.crt}, {@code node.crt},
 * {@code node.key} (0600) and, on nodes holding the CA, {@code ca.key} (0600).
 */
public record NodeCredentials(X509Certificate ca, X509Certificate certificate, PrivateKey key, Optional<ClusterCa> authority) {
  public static final String DIR = "tls";

  public static Path dir(Path stateDir) {
    return stateDir.resolve(DIR);
  }

  /** Loads the credentials of the node whose state directory is {@code stateDir}. */
  public static NodeCredentials load(Path stateDir) throws IOException {
    Path d = dir(stateDir);
    for (String f : new String[] {"ca.crt", "node.crt", "node.key"}) {
      if (!Files.isRegularFile(d.resolve(f))) {
        throw new IOException(d.resolve(f) + ": missing (run 'vigil cluster init' or 'vigil node join' first)");
      }
    }
    X509Certificate ca = Pem.readCertificate(d.resolve("ca.crt"));
    X509Certificate cert = Pem.readCertificate(d.resolve("node.crt"));
    PrivateKey key = Pem.readPrivateKey(d.resolve("node.key"));
    Optional<ClusterCa> authority = Files.isRegularFile(d.resolve("ca.key"))
        ? Optional.of(new ClusterCa(ca, Pem.readPrivateKey(d.resolve("ca.key"))))
        : Optional.empty();
    return new NodeCredentials(ca, cert, key, authority);
  }

  /** Writes the credentials; private keys get mode 0600, certificates 0644. */
  public void save(Path stateDir) throws IOException {
    Path d = dir(stateDir);
    Files.createDirectories(d);
    Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Pem.writeAtomically(d.resolve("ca.crt"), Pem.encode(ca), "rw-r--r--");
    Pem.writeAtomically(d.resolve("node.crt"), Pem.encode(certificate), "rw-r--r--");
    Pem.writeAtomically(d.resolve("node.key"), Pem.encode(key), "rw-------");
    if (authority.isPresent()) Pem.writeAtomically(d.resolve("ca.key"), Pem.encode(authority.get().key()), "rw-------");
  }

  /** SHA-256 fingerprint (hex) of a certificate, as pinned in join tokens. */
  public static String fingerprint(X509Certificate c) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /** A TLS context presenting this node's certificate and trusting only the cluster CA. */
  public SSLContext sslContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      ks.setKeyEntry("node", key, pw, new X509Certificate[] {certificate, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context from the node credentials", e);
    }
  }
}
