package io.vigil.cluster.security;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The cluster certificate authority: a self-signed EC P-256 CA that signs node certificates.
 * A node certificate names the node (CN) and its Raft address (SAN), valid for server and client
 * authentication so the same certificate serves both sides of mutual TLS.
 */
public final class ClusterCa {
  /** Lifetime of the CA certificate. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Lifetime of node certificates. */
  public static final Duration NODE_VALIDITY = Duration.ofDays(825);

  private static final SecureRandom RANDOM = new SecureRandom();
  private final X509Certificate certificate;
  private final PrivateKey key;

  public ClusterCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  /** A new EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JDK", e);
    }
  }

  /** Creates a new CA for cluster {@code clusterName}, valid from {@code now}. */
  public static ClusterCa create(String clusterName, Instant now) {
    KeyPair kp = newKeyPair();
    X500Name name = new X500Name("CN=vigil cluster CA " + clusterName + ",O=vigil");
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(CA_VALIDITY)), name, kp.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new ClusterCa(sign(b, kp.getPrivate()), kp.getPrivate());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot create the cluster CA", e);
    }
  }

  /** A CSR for node {@code nodeName}, signed with its key. */
  public static PKCS10CertificationRequest csr(String nodeName, KeyPair kp) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + nodeName + ",O=vigil"), kp.getPublic()).build(signer);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR", e);
    }
  }

  /**
   * Signs a node's CSR after checking its self-signature and that it names {@code nodeName};
   * {@code host} (of the node's Raft address) goes into the subject alternative names.
   */
  public X509Certificate sign(PKCS10CertificationRequest csr, String nodeName, String host, Instant now) throws IOException {
    try {
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
        throw new IOException("certificate request for '" + nodeName + "' has an invalid signature");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IOException("certificate request for '" + nodeName + "' cannot be verified: " + e.getMessage(), e);
    }
    var cn = csr.getSubject().getRDNs(BCStyle.CN);
    String csrName = cn.length == 0 ? "" : IETFUtils.valueToString(cn[0].getFirst().getValue());
    if (!csrName.equals(nodeName)) {
      throw new IOException("certificate request names '" + csrName + "', expected node '" + nodeName + "'");
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      java.security.PublicKey publicKey = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
          .getPublicKey(csr.getSubjectPublicKeyInfo());
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(NODE_VALIDITY)), new X500Name("CN=" + nodeName + ",O=vigil"), publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, sans(nodeName, host))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      return sign(b, key);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign the certificate of '" + nodeName + "': " + e.getMessage(), e);
    }
  }

  private static GeneralNames sans(String nodeName, String host) {
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, nodeName));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    if (isIpLiteral(host)) {
      names.add(new GeneralName(GeneralName.iPAddress, host));
    } else if (!host.isEmpty() && !host.equals(nodeName)) {
      names.add(new GeneralName(GeneralName.dNSName, host));
    }
    if (!host.equals("127.0.0.1")) names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) return false;
    try {
      // A string of digits, dots and colons is a literal, so this does no name lookup.
      InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
      return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create a signer: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
