// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one codec from both ends: what the plugin writes the daemon reads, what the daemon writes the
 * plugin reads, and a broken message is the server's 400 on one side and a plain I/O failure
 * (reported as "try again later") on the other.
 */
class HttpCodecTest {

  private static InputStream latin1(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void thePluginsRequestIsReadBackByTheDaemonSide() throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Cni-Command", "ADD");
    h.put("X-Cni-Args", CniExchange.encodeHeader("K8S_POD_NAME=pod-é 1%"));
    byte[] body = "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    HttpRequest r = HttpCodec.readRequest(new ByteArrayInputStream(CniExchange.request(h, body)));

    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo(CniExchange.PATH);
    assertThat(r.headers()).containsEntry("host", "localhost").containsEntry("connection", "close");
    assertThat(CniExchange.variable(r, "CNI_COMMAND")).isEqualTo("ADD");
    assertThat(CniExchange.variable(r, "CNI_ARGS")).isEqualTo("K8S_POD_NAME=pod-é 1%");
    assertThat(CniExchange.variable(r, "CNI_NETNS")).isNull();
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void theDaemonsReplyIsReadBackByThePluginSide() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpCodec.write(out, CniExchange.reply(1, "{\"code\":7}"), true);
    assertThat(out.toString(StandardCharsets.ISO_8859_1))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("X-Cni-Exit: 1\r\n")
        .endsWith("Content-Length: 11\r\nConnection: close\r\n\r\n{\"code\":7}\n");

    HttpResponse reply = HttpCodec.readResponse(new ByteArrayInputStream(out.toByteArray()));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers())
        .containsEntry("x-cni-exit", "1")
        .containsEntry("content-type", "application/json");
    assertThat(CniExchange.exitStatus(reply)).isEqualTo(1);
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":7}\n");
  }

  @Test
  void aReplyWithoutALengthRunsToTheEndAndOneWithoutTheExitHeaderIsNoCniAnswer()
      throws IOException {
    HttpResponse r =
        HttpCodec.readResponse(latin1("HTTP/1.1 404 Not Found\r\n\r\n\"path /v1/cni not found\""));
    assertThat(r.status()).isEqualTo(404);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo("\"path /v1/cni not found\"");
    assertThat(CniExchange.exitStatus(r)).isEqualTo(-1);
    assertThat(
            CniExchange.exitStatus(
                HttpCodec.readResponse(latin1("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))))
        .isEqualTo(-1);
  }

  static Stream<Arguments> brokenReplies() {
    return Stream.of(
        Arguments.of("", "the reply ended before its header did"),
        Arguments.of("SPDY/3 200 OK\r\n\r\n", "not an HTTP reply: SPDY/3 200 OK"),
        Arguments.of("HTTP/1.1 OK\r\n\r\n", "not an HTTP status: HTTP/1.1 OK"),
        Arguments.of(
            "HTTP/1.1 200 OK\r\nX-Cni-Exit: 0\r\n", "the reply ended before its header did"),
        Arguments.of(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", "reply ended after 2 of 10 bytes"),
        Arguments.of(
            "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n{}", "bad content-length: ten"));
  }

  @ParameterizedTest
  @MethodSource("brokenReplies")
  void aBrokenReplyIsAPlainIoFailureNamingWhatIsWrong(String reply, String message) {
    assertThatThrownBy(() -> HttpCodec.readResponse(latin1(reply)))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> brokenRequests() {
    return Stream.of(
        Arguments.of("garbage\r\n\r\n", "malformed request line: garbage"),
        Arguments.of("POST /v1/cni HTTP/1.1\r\nno colon\r\n\r\n", "malformed or too many headers"),
        Arguments.of(
            "POST /v1/cni HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}",
            "body ended after 2 of 10 bytes"),
        Arguments.of(
            "POST /v1/cni HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "unsupported transfer-encoding: gzip"),
        Arguments.of("POST /v1/cni HTTP/1.1\r\nHost: x", "connection closed mid-request"));
  }

  @ParameterizedTest
  @MethodSource("brokenRequests")
  void aBrokenRequestIsABadRequest(String request, String message) {
    assertThatThrownBy(() -> HttpCodec.readRequest(latin1(request)))
        .isInstanceOf(HttpCodec.BadRequest.class)
        .hasMessage(message);
  }

  @Test
  void aCleanEndBetweenRequestsIsNoRequest() throws IOException {
    assertThat(HttpCodec.readRequest(latin1(""))).isNull();
  }
}
