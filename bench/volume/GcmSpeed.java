import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM throughput of this JDK on one core, sealing and opening 64 KiB records from byte
 * arrays (how the volume link uses it): prints "seal BYTES_PER_SECOND open BYTES_PER_SECOND".
 * Run as a single-file program: java bench/volume/GcmSpeed.java [SECONDS]
 */
public final class GcmSpeed {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    SecretKeySpec k = new SecretKeySpec(key, "AES");
    byte[] plain = new byte[64 << 10];
    new SecureRandom().nextBytes(plain);
    byte[] sealed = new byte[plain.length + 16];
    byte[] opened = new byte[plain.length];
    Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
    Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] iv = new byte[12];
    long counter = 0;
    long[] nanos = new long[2]; // seal, open
    // warm-up: the intrinsics need C2-compiled callers
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end) {
      round(seal, open, k, iv, ++counter, plain, sealed, opened, nanos);
    }
    nanos[0] = nanos[1] = 0;
    long n = 0;
    end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      round(seal, open, k, iv, ++counter, plain, sealed, opened, nanos);
      n++;
    }
    System.out.printf("seal %.0f open %.0f%n", n * plain.length * 1e9 / nanos[0], n * plain.length * 1e9 / nanos[1]);
  }

  /** Seals {@code plain} under nonce {@code counter} and opens it again, adding each step's time to {@code nanos}. */
  private static void round(Cipher seal, Cipher open, SecretKeySpec k, byte[] iv, long counter, byte[] plain, byte[] sealed,
      byte[] opened, long[] nanos) throws Exception {
    long t0 = System.nanoTime();
    iv(iv, counter);
    seal.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
    seal.doFinal(plain, 0, plain.length, sealed, 0);
    long t1 = System.nanoTime();
    open.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
    open.doFinal(sealed, 0, sealed.length, opened, 0);
    nanos[0] += t1 - t0;
    nanos[1] += System.nanoTime() - t1;
  }

  private static void iv(byte[] iv, long counter) {
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (counter >>> (8 * i));
    }
  }
}
