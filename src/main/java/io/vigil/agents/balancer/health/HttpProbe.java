package io.vigil.agents.balancer.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP(S) GET check over a plain socket: one HTTP/1.0 request (so the body ends at EOF, no
 * chunking), a deadline for the whole exchange, the body capped at {@link #MAX_BODY} bytes.
 */
final class HttpProbe implements Probe {
  static final int MAX_BODY = 1 << 20;
  private final CheckSpec.Http spec;

  HttpProbe(CheckSpec.Http spec) {
    this.spec = spec;
  }

  @Override
  public CheckResult probe(InetSocketAddress target, Duration timeout) {
    String url = (spec.tls() ? "https://" : "http://") + target.getHostString() + ":" + target.getPort() + spec.path();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket plain = new Socket()) {
      plain.connect(target, (int) Math.max(1, timeout.toMillis()));
      Socket s = spec.tls() ? startTls(plain, target, remainingMillis(deadline)) : plain;
      String host = spec.virtualHost().orElse(target.getHostString());
      String request = "GET " + spec.path() + " HTTP/1.0\r\nHost: " + host
          + "\r\nUser-Agent: vigil-health-check\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] response = readAll(s, deadline);
      return judge(url, response);
    } catch (SocketTimeoutException e) {
      return CheckResult.failed("GET " + url + " timed out after " + timeout.toMillis() + " ms");
    } catch (IOException | GeneralSecurityException e) {
      return CheckResult.failed("GET " + url + " failed: " + e.getMessage());
    }
  }

  CheckResult judge(String url, byte[] response) {
    int headerEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (headerEnd < 0) {
      return CheckResult.failed("GET " + url + ": incomplete HTTP response (" + response.length + " bytes)");
    }
    String head = new String(response, 0, headerEnd, StandardCharsets.ISO_8859_1);
    String[] statusLine = head.split("\r\n", 2)[0].split(" ", 3);
    int status = parseStatus(statusLine);
    if (status < 0) {
      return CheckResult.failed("GET " + url + ": malformed status line '" + head.split("\r\n", 2)[0] + "'");
    }
    if (spec.statusRanges().stream().noneMatch(r -> r.contains(status))) {
      return CheckResult.failed("GET " + url + ": HTTP " + status + ", expected "
          + spec.statusRanges().stream().map(Object::toString).collect(Collectors.joining(",")));
    }
    byte[] body = java.util.Arrays.copyOfRange(response, headerEnd + 4, response.length);
    if (spec.bodyRegex().isPresent()
        && !spec.bodyRegex().get().matcher(new String(body, StandardCharsets.UTF_8)).find()) {
      return CheckResult.failed("GET " + url + ": body does not match /" + spec.bodyRegex().get() + "/");
    }
    if (spec.md5Digest().isPresent()) {
      String digest = md5(body);
      if (!digest.equals(spec.md5Digest().get())) {
        return CheckResult.failed("GET " + url + ": body digest " + digest + ", expected " + spec.md5Digest().get());
      }
    }
    return CheckResult.ok("GET " + url + ": HTTP " + status);
  }

  private static int parseStatus(String[] statusLine) {
    try {
      return statusLine.length >= 2 && statusLine[0].startsWith("HTTP/") ? Integer.parseInt(statusLine[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] readAll(Socket s, long deadline) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (buf.size() < MAX_BODY) {
      s.setSoTimeout(remainingMillis(deadline));
      int n = in.read(chunk);
      if (n < 0) {
        break;
      }
      buf.write(chunk, 0, n);
    }
    return buf.toByteArray();
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) ms;
  }

  private Socket startTls(Socket plain, InetSocketAddress target, int timeoutMs)
      throws IOException, GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    // keepalived's SSL_GET does not verify the real server's certificate either: the check is
    // about liveness of the backend, which often has a self-signed or internal certificate.
    ctx.init(null, new TrustManager[] {new TrustAll()}, null);
    SSLSocket tls = (SSLSocket) ctx.getSocketFactory()
        .createSocket(plain, spec.virtualHost().orElse(target.getHostString()), target.getPort(), true);
    tls.setSoTimeout(timeoutMs);
    tls.startHandshake();
    return tls;
  }

  static String md5(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
