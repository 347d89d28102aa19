// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.FakeIpamService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target: requests to the agent API over its real unix socket (docs/reliability.md,
 * "Fuzzing"), either whole raw requests or well-framed requests to one of the routes with a fuzzed
 * query and body. Property: every connection gets an HTTP answer; a refusal is a 4xx whose body
 * says why, without Java exception text (the fake engine never fails, so no 5xx is acceptable).
 */
class AgentRequestFuzzTest {
  private static final String[][] ROUTES = {
    {"POST", "/v1/ipam/ip"},
    {"DELETE", "/v1/ipam/ip"},
    {"DELETE", "/v1/ipam/ips"},
    {"GET", "/v1/workloadendpoint"},
    {"POST", "/v1/ipam/ips"},
    {"GET", "/v1/ipam/healthy"}
  };
  private static Path sock;

  private static synchronized Path server() {
    if (sock == null) {
      try {
        Path dir = Files.createTempDirectory("agent-fuzz");
        sock = dir.resolve("spiderpool.sock");
        // lives as long as the fuzzing JVM
        new AgentApi(new FakeIpamService(), new IpamMetrics() {})
            .register(UnixHttpServer.builder(sock).idleTimeoutMillis(5_000))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sock;
  }

  @FuzzTest(maxDuration = "60s")
  void everyRequestIsAnsweredAndRefusalsSayWhy(FuzzedDataProvider data) throws IOException {
    byte[] raw;
    if (data.consumeBoolean()) {
      raw = data.consumeRemainingAsBytes();
    } else {
      String[] route = data.pickValue(ROUTES);
      String query = data.consumeString(60);
      byte[] body = data.consumeRemainingAsBytes();
      ByteArrayOutputStream r = new ByteArrayOutputStream();
      r.writeBytes(
          (route[0]
                  + " "
                  + route[1]
                  + (query.isEmpty()
                      ? ""
                      : "?" + query.replace(' ', '+').replace("\r", "").replace("\n", ""))
                  + " HTTP/1.1\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      r.writeBytes(body);
      raw = r.toByteArray();
    }
    String answer;
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server()))) {
      ch.write(ByteBuffer.wrap(raw));
      ch.shutdownOutput();
      answer = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    if (raw.length == 0) {
      assertThat(answer).as("no request, no answer").isEmpty();
      return;
    }
    assertThat(answer).as("answer to %d bytes", raw.length).startsWith("HTTP/1.1 ");
    int status = Integer.parseInt(answer.substring(9, 12));
    assertThat(status).as(answer).isIn(200, 400, 404, 405, 422);
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    if (status >= 400 && status != 404) {
      assertThat(body).as(answer).isNotBlank();
    }
    assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
