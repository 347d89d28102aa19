// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One HTTP/1.1 request over a unix socket, answered as status and body. */
public final class SocketClient {
  /** A response as the test sees it. */
  public record Answer(int status, String body) {}

  private final Path socket;

  public SocketClient(Path socket) {
    this.socket = socket;
  }

  public Answer send(String method, String target, String body) throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + (body == null
                ? ""
                : "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n")
            + "\r\n";
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
      ch.write(ByteBuffer.wrap(payload));
      String raw = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(raw.substring(9, 12));
      return new Answer(status, raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }
  }
}
