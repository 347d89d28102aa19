// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A minimal HTTP/1.1 client for the agent's unix socket ({@code Connection: close}, one request per
 * connection), as the plugin talks to it. Used to wait for a daemon to be ready and by the
 * throughput benchmark to call {@code POST /v1/ipam/ip} without a plugin process per request.
 */
public final class AgentSocket {
  private final Path socket;

  /** A client for the daemon listening on {@code socket}. */
  public AgentSocket(Path socket) {
    this.socket = socket;
  }

  /** Status code and body of a response. */
  public record Response(int status, String body) {}

  /** {@code GET path}. */
  public Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  /** {@code method path} with a JSON body (or none when {@code null}). */
  public Response send(String method, String path, String json) throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + (json == null ? "" : "Content-Type: application/json\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer b = ByteBuffer.wrap(body);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      Channels.newInputStream(ch).transferTo(raw);
      return parse(raw.toString(StandardCharsets.UTF_8));
    }
  }

  private static Response parse(String raw) throws IOException {
    int eol = raw.indexOf("\r\n");
    int split = raw.indexOf("\r\n\r\n");
    if (eol < 0 || split < 0) {
      throw new IOException("not an HTTP response: " + raw);
    }
    String[] status = raw.substring(0, eol).split(" ", 3);
    String headers = raw.substring(eol + 2, split).toLowerCase();
    String body = raw.substring(split + 4);
    if (headers.contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Response(Integer.parseInt(status[1]), body);
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      int n = Integer.parseInt(s.substring(i, eol).split(";")[0].trim(), 16);
      if (n == 0) {
        break;
      }
      out.append(s, eol + 2, eol + 2 + n);
      i = eol + 2 + n + 2;
    }
    return out.toString();
  }
}
