// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.FakeIpamService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage on the agent socket (docs/reliability.md, "Bad input"), as raw bytes: every request the
 * server cannot read or bind is a 4xx whose JSON body says what is wrong, no Java exception text,
 * no engine call, and the server answers the next connection as before.
 */
class AgentBadInputTest {
  @TempDir Path dir;
  private final FakeIpamService ipam = new FakeIpamService();
  private UnixHttpServer server;
  private Path sock;

  @BeforeEach
  void start() throws IOException {
    sock = dir.resolve("spiderpool.sock");
    server =
        new AgentApi(ipam, new IpamMetrics() {})
            .register(UnixHttpServer.builder(sock).idleTimeoutMillis(2_000))
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  static Stream<Arguments> badRequests() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    byte[] invalidUtf8 =
        concat(
            bytes("POST /v1/ipam/ip HTTP/1.1\r\nContent-Length: 18\r\n\r\n{\"containerID\":\""),
            new byte[] {(byte) 0xff},
            bytes("}"));
    return Stream.of(
        Arguments.of(
            "bad % escape in the query",
            bytes("GET /v1/workloadendpoint?podNamespace=%zz&podName=p HTTP/1.1\r\n\r\n"),
            400,
            "malformed query parameter \\\"podNamespace=%zz\\\""),
        Arguments.of(
            "% at the end of the query",
            bytes("GET /v1/workloadendpoint?podNamespace=ns&podName=p% HTTP/1.1\r\n\r\n"),
            400,
            "malformed query parameter \\\"podName=p%\\\""),
        Arguments.of(
            "empty method",
            bytes(" /v1/ipam/healthy HTTP/1.1\r\n\r\n"),
            400,
            "the method must be a token such as GET, not \\\"\\\""),
        Arguments.of(
            "method with a control character",
            bytes("G\u0001T /v1/ipam/healthy HTTP/1.1\r\n\r\n"),
            400,
            "the method must be a token"),
        Arguments.of(
            "target without a leading slash",
            bytes("GET v1/ipam/healthy HTTP/1.1\r\n\r\n"),
            400,
            "the target must be a path starting with /"),
        Arguments.of(
            "not HTTP at all",
            bytes("\u0016\u0003\u0001\u0002\u0000\r\n\r\n"),
            400,
            "malformed request line"),
        Arguments.of(
            "header without a colon",
            bytes("GET /v1/ipam/healthy HTTP/1.1\r\nHost localhost\r\n\r\n"),
            400,
            "malformed or too many headers"),
        Arguments.of(
            "header line over 8 KiB",
            bytes("GET /v1/ipam/healthy HTTP/1.1\r\nX: " + "a".repeat(9_000) + "\r\n\r\n"),
            400,
            "line too long"),
        Arguments.of(
            "negative Content-Length",
            bytes("POST /v1/ipam/ip HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            400,
            "content-length out of range: -1"),
        Arguments.of(
            "10 MB body",
            bytes("POST /v1/ipam/ip HTTP/1.1\r\nContent-Length: 10485760\r\n\r\n{"),
            400,
            "content-length out of range: 10485760"),
        Arguments.of(
            "bad chunk size",
            bytes("POST /v1/ipam/ip HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            400,
            "bad chunk size: zz"),
        Arguments.of(
            "empty body",
            bytes("POST /v1/ipam/ip HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
            422,
            "ipam-add-args in body is required"),
        Arguments.of(
            "body not JSON",
            request("POST", "/v1/ipam/ip", "containerID=c1"),
            400,
            "parsing ipam-add-args body from \\\"\\\" failed, because invalid JSON"),
        Arguments.of(
            "10,000 nested arrays",
            request("POST", "/v1/ipam/ip", deep),
            400,
            "nesting deeper than 64 levels"),
        Arguments.of(
            "body not valid UTF-8",
            invalidUtf8,
            400,
            "the body is not valid UTF-8: byte 0xff at offset 16"),
        Arguments.of(
            "DEL body an array",
            request("DELETE", "/v1/ipam/ip", "[]"),
            400,
            "the body must be an object, not an array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void isA4xxSayingWhatIsWrongAndTheServerGoesOn(
      String what, byte[] raw, int status, String message) throws IOException {
    String answer = exchange(raw);
    assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(body).contains(message);
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
    assertThat(ipam.adds).isEmpty();
    assertThat(ipam.releases).isEmpty();
    assertThat(exchange(bytes("GET /v1/ipam/healthy HTTP/1.1\r\nConnection: close\r\n\r\n")))
        .as("the next connection after %s", what)
        .startsWith("HTTP/1.1 200 ");
  }

  /** Sends the bytes, half-closes, reads the whole answer (the server closes after a 400). */
  private String exchange(byte[] raw) throws IOException {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      ch.write(ByteBuffer.wrap(raw));
      ch.shutdownOutput();
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] request(String method, String target, String body) {
    byte[] b = bytes(body);
    return concat(
        bytes(method + " " + target + " HTTP/1.1\r\nContent-Length: " + b.length + "\r\n\r\n"), b);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
