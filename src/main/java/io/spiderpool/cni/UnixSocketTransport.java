// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over the daemon's unix socket with the JDK's {@link SocketChannel}: no
 * HTTP client library, so the plugin process stays a bare JVM start. The connection is closed
 * after the reply ({@code Connection: close}).
 *
 * <p>A unix {@code SocketChannel} has no read timeout, so a watchdog thread closes the channel
 * when the deadline passes; the blocked read then fails and the call ends as "try again later".
 * The default deadline is Spiderpool's CNI client timeout, 100 s: an allocation may wait on API
 * server retries, and the runtime has its own, longer, deadline.
 */
public final class UnixSocketTransport implements DaemonTransport {
  /** Spiderpool's {@code DefaultCNIClientTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(100);
  private static final int MAX_HEAD = 64 * 1024;

  private final Duration timeout;

  public UnixSocketTransport(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Reply post(Path socket, Map<String, String> headers, byte[] body) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Thread watchdog = watchdog(ch);
      try {
        ch.write(ByteBuffer.wrap(head(headers, body.length)));
        ch.write(ByteBuffer.wrap(body));
        // buffered: the header lines are read byte by byte, one system call each otherwise
        return read(new BufferedInputStream(Channels.newInputStream(ch), 8192));
      } finally {
        watchdog.interrupt();
      }
    }
  }

  private Thread watchdog(SocketChannel ch) {
    Thread t = new Watchdog(ch, timeout.toMillis());
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Closes the channel at the deadline. A class, not a lambda: the plugin's hot path avoids
   * lambdas and string concatenation, whose first use bootstraps {@code java.lang.invoke}
   * (~15 ms, a third of a bare JVM start).
   */
  private static final class Watchdog extends Thread {
    private final SocketChannel ch;
    private final long millis;

    Watchdog(SocketChannel ch, long millis) {
      super("cni-timeout");
      this.ch = ch;
      this.millis = millis;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(millis);
        ch.close();
      } catch (InterruptedException | IOException done) {
        // the exchange finished first, or the channel is already closed
      }
    }
  }

  private static byte[] head(Map<String, String> headers, int length) {
    StringBuilder sb = new StringBuilder(256).append("POST ").append(CniProtocol.PATH)
        .append(" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    sb.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static Reply read(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP reply: " + status);
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + status, e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
    }
    String length = headers.get("content-length");
    byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
    if (length != null && body.length != Integer.parseInt(length)) {
      throw new IOException("reply ended after " + body.length + " of " + length + " bytes");
    }
    return new Reply(code, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream sb = new ByteArrayOutputStream(80);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("daemon closed the connection before replying");
      }
      if (sb.size() >= MAX_HEAD) {
        throw new IOException("reply header line too long");
      }
      sb.write(b);
    }
    String s = sb.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
