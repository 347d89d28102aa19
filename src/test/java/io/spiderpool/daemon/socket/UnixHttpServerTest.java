// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent socket server over a real unix socket, spoken to with raw HTTP/1.1 bytes. */
class UnixHttpServerTest {
  @TempDir Path dir;
  private Path sock;
  private UnixHttpServer server;

  @BeforeEach
  void start() throws IOException {
    sock = dir.resolve("run/spiderpool.sock");
    server = serverAt(sock);
  }

  private static UnixHttpServer serverAt(Path p) throws IOException {
    return UnixHttpServer.builder(p)
        .route("GET", "/v1/ipam/healthy", r -> HttpResponse.empty(200))
        .route(
            "POST",
            "/echo",
            r ->
                HttpResponse.json(
                    200,
                    "{\"got\":"
                        + JsonWriter.write(r.bodyText())
                        + ",\"q\":"
                        + JsonWriter.write(r.query().toString())
                        + "}"))
        .route(
            "POST",
            "/boom",
            r -> {
              throw new IllegalStateException("pool \"p1\" exploded");
            })
        .idleTimeoutMillis(500)
        .start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private String exchange(String raw) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      ch.write(ByteBuffer.wrap(raw.getBytes(StandardCharsets.UTF_8)));
      ch.shutdownOutput();
      return new String(readAll(ch), StandardCharsets.UTF_8);
    }
  }

  private static byte[] readAll(SocketChannel ch) throws IOException {
    return Channels.newInputStream(ch).readAllBytes();
  }

  @Test
  void servesHealthAndIsOnlyForRoot() throws IOException {
    assertThat(
            exchange(
                "GET /v1/ipam/healthy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Content-Length: 0");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)))
        .isEqualTo("rw-------");
  }

  @Test
  void keepsConnectionsAliveAcrossRequests() throws IOException {
    String two =
        "POST /echo?podName=a%2Fb HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
            + "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nyou";
    String out = exchange(two);
    assertThat(out)
        .contains("{\"got\":\"hi\",\"q\":\"{podName=a/b}\"}")
        .contains("{\"got\":\"you\",\"q\":\"{}\"}");
    assertThat(out.split("HTTP/1.1 200 OK")).hasSize(3);
  }

  @Test
  void readsChunkedBodies() throws IOException {
    String out =
        exchange(
            "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");
    assertThat(out).contains("{\"got\":\"abcde\"");
  }

  @Test
  void unknownPathWrongMethodAndFailuresHaveTheirCodes() throws IOException {
    assertThat(exchange("GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ");
    assertThat(exchange("DELETE /v1/ipam/healthy HTTP/1.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ")
        .contains("Allow: GET");
    assertThat(exchange("POST /boom HTTP/1.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 500 ")
        .endsWith("\"pool \\\"p1\\\" exploded\"");
  }

  @Test
  void malformedRequestsGet400() throws IOException {
    assertThat(exchange("NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(exchange("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort"))
        .startsWith("HTTP/1.1 400 ")
        .contains("body ended after 5 of 10 bytes");
    assertThat(exchange("POST /echo HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
  }

  @Test
  void replacesAStaleSocketButNeverALiveOne() throws IOException {
    assertThatThrownBy(() -> serverAt(sock)).hasMessageContaining("another process is serving");
    Path stale = dir.resolve("stale.sock");
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(stale));
    dead.close();
    assertThat(stale).exists();
    try (UnixHttpServer s = serverAt(stale)) {
      assertThat(s.path()).isEqualTo(stale);
    }
    assertThat(stale).doesNotExist();
  }

  @Test
  void closesIdleKeptAliveConnections() throws Exception {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      ch.write(
          ByteBuffer.wrap(
              "GET /v1/ipam/healthy HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
      byte[] all = readAll(ch); // returns only when the server closes the idle connection
      assertThat(new String(all, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200 OK");
    }
  }
}
