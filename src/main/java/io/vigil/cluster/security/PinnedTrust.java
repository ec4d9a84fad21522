package io.vigil.cluster.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts a server only if its chain contains a CA whose SHA-256 fingerprint is the one pinned in
 * the join token, and that CA signed the server's certificate. Used before a node has the CA file.
 */
final class PinnedTrust implements X509TrustManager {
  private final String fingerprint;
  private volatile X509Certificate ca;

  PinnedTrust(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  /** The pinned CA, once a server presented it. */
  X509Certificate ca() {
    return ca;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) throw new CertificateException("server sent no certificate");
    for (X509Certificate c : chain) {
      if (NodeCredentials.fingerprint(c).equals(fingerprint)) {
        try {
          chain[0].checkValidity();
          chain[0].verify(c.getPublicKey());
        } catch (GeneralSecurityException e) {
          throw new CertificateException("server certificate is not signed by the pinned cluster CA: " + e.getMessage(), e);
        }
        ca = c;
        return;
      }
    }
    throw new CertificateException("server does not present the cluster CA pinned in the join token (wrong cluster or address?)");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("not a server trust manager");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
