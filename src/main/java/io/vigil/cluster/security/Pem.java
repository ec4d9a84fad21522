package io.vigil.cluster.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM reading and writing; private keys are written atomically with mode 0600. */
public final class Pem {
  private Pem() {}

  /** PEM text of a certificate, key or CSR. */
  public static String encode(Object value) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      // Private keys as PKCS#8 ("PRIVATE KEY"), which every TLS stack reads.
      if (value instanceof PrivateKey k) w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null));
      else w.writeObject(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot PEM-encode " + value.getClass().getSimpleName(), e);
    }
    return out.toString();
  }

  public static X509Certificate certificate(String pem, String what) throws IOException {
    Object o = parse(pem, what);
    if (!(o instanceof X509CertificateHolder h)) throw new IOException(what + ": expected a PEM CERTIFICATE");
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IOException(what + ": invalid certificate: " + e.getMessage(), e);
    }
  }

  public static PrivateKey privateKey(String pem, String what) throws IOException {
    Object o = parse(pem, what);
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    if (o instanceof PrivateKeyInfo k) return conv.getPrivateKey(k);
    if (o instanceof PEMKeyPair kp) return conv.getPrivateKey(kp.getPrivateKeyInfo());
    throw new IOException(what + ": expected a PEM PRIVATE KEY");
  }

  public static PKCS10CertificationRequest csr(String pem, String what) throws IOException {
    Object o = parse(pem, what);
    if (!(o instanceof PKCS10CertificationRequest r)) throw new IOException(what + ": expected a PEM CERTIFICATE REQUEST");
    return r;
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    return certificate(Files.readString(file), file.toString());
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return privateKey(Files.readString(file), file.toString());
  }

  /** Writes {@code text} to {@code file} atomically (temp file + rename) with the given POSIX mode. */
  public static void writeAtomically(Path file, String text, String mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Object parse(String pem, String what) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (o == null) throw new IOException(what + ": no PEM object found");
      return o;
    } catch (RuntimeException e) {
      throw new IOException(what + ": malformed PEM: " + e.getMessage(), e);
    }
  }
}
