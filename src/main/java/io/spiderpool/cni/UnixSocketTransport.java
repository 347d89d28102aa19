// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over the daemon's unix socket with the JDK's {@link SocketChannel}: no
 * HTTP client library. The connection is closed after the reply ({@code Connection: close}).
 * Not the plugin's default: the JDK's unix-socket set-up alone costs 20-30 ms of process
 * start-up, so the plugin uses {@link SpoolTransport} unless the launcher selects this one with
 * {@code -Dspiderpool.cni.transport=socket} (see {@link CniEntry}).
 *
 * <p>A unix {@code SocketChannel} has no read timeout, so a watchdog thread closes the channel
 * when the deadline passes; the blocked read then fails and the call ends as "try again later".
 * The default deadline is Spiderpool's CNI client timeout, 100 s: an allocation may wait on API
 * server retries, and the runtime has its own, longer, deadline.
 */
public final class UnixSocketTransport implements DaemonTransport {
  /** Spiderpool's {@code DefaultCNIClientTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(100);

  private final Duration timeout;

  public UnixSocketTransport(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Reply post(Path socket, Map<String, String> headers, byte[] body) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      Thread watchdog = watchdog(ch);
      try {
        ByteBuffer request = ByteBuffer.wrap(HttpWire.request(headers, body));
        while (request.hasRemaining()) {
          ch.write(request);
        }
        // buffered: the header lines are read byte by byte, one system call each otherwise
        return HttpWire.read(new BufferedInputStream(Channels.newInputStream(ch), 8192));
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
}
