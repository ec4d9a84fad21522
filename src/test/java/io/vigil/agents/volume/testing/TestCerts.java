package io.vigil.agents.volume.testing;

import java.nio.file.Path;

/** A throwaway CA and node certificates made with the openssl command (ECDSA P-256, PKCS#8 keys). */
public final class TestCerts {
  private TestCerts() {}

  /** Creates {@code prefix}-ca.pem/-ca.key in {@code dir}. */
  public static void ca(Path dir, String prefix) {
    Proc.ok(30, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", dir.resolve(prefix + "-ca.key").toString(), "-out", dir.resolve(prefix + "-ca.pem").toString(),
        "-days", "2", "-subj", "/CN=" + prefix + " test CA");
  }

  /** Creates NODE.pem/NODE.key signed by {@code prefix}'s CA. */
  public static void node(Path dir, String prefix, String node) {
    Path key = dir.resolve(node + ".key");
    Path csr = dir.resolve(node + ".csr");
    Proc.ok(30, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    Proc.ok(30, "openssl", "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + node);
    Proc.ok(30, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(prefix + "-ca.pem").toString(),
        "-CAkey", dir.resolve(prefix + "-ca.key").toString(), "-CAcreateserial", "-days", "2", "-out", dir.resolve(node + ".pem").toString());
  }
}
