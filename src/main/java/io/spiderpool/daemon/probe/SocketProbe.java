// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.probe;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the daemon's own unix socket {@code GET /v1/ipam/healthy}, as Spiderpool's readiness and
 * liveness probes do: what the kubelet checks is then exactly what a CNI call would meet (the
 * socket file exists, the server accepts and answers), not merely that the JVM is up.
 */
public final class SocketProbe {
  private final Path socket;
  private final long timeoutMillis;

  public SocketProbe(Path socket, long timeoutMillis) {
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
  }

  /** True when the socket answers 200 within the timeout. */
  public boolean healthy() {
    CompletableFuture<Boolean> call = CompletableFuture.supplyAsync(this::ask);
    try {
      return call.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      call.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean ask() {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(
          ByteBuffer.wrap(
              ("GET /v1/ipam/healthy HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1)));
      byte[] head = Channels.newInputStream(ch).readNBytes(12);
      return new String(head, StandardCharsets.ISO_8859_1).equals("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }
}
