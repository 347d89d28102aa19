// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The plugin-side dispatcher with a recording fake transport (no sockets). */
class CniDispatcherTest {
  private final List<Path> sockets = new ArrayList<>();
  private final List<Map<String, String>> sentHeaders = new ArrayList<>();
  private final List<byte[]> bodies = new ArrayList<>();

  private DaemonTransport answering(int status, Map<String, String> headers, String body) {
    return (socket, h, b) -> {
      sockets.add(socket);
      sentHeaders.add(h);
      bodies.add(b);
      return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    };
  }

  private static DaemonTransport failing(IOException e) {
    return (socket, h, b) -> {
      throw e;
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every variable {@code command} needs, as a runtime sets them. */
  private static Map<String, String> env(String command) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "abc");
    env.put("CNI_NETNS", "/var/run/netns/abc");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/opt/cni/bin");
    return env;
  }

  /** A transport the dispatcher must not use. */
  private static final DaemonTransport NEVER =
      (socket, h, b) -> {
        throw new AssertionError("the daemon was asked although the plugin could answer itself");
      };

  @Test
  void forwardsRawStdinAndOnlyTheSetVariablesToTheConfiguredSocket() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", "ADD");
    env.put("CNI_CONTAINERID", "abc");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_ARGS", "K8S_POD_NAME=p ;IgnoreUnknown=1");
    env.put("CNI_NETNS", "/var/run/netns/abc");
    env.put("CNI_PATH", "/opt/cni/bin");
    env.put("UNRELATED", "x");
    String conf =
        "{\"cniVersion\":\"1.0.0\", \"ipam\":{\"ipam_unix_socket_path\":\"/run/x.sock\"}}";
    CniOutcome o =
        new CniDispatcher(env, answering(200, Map.of("x-cni-exit", "0"), "RESULT"))
            .handle(bytes(conf));
    assertThat(o.exitStatus()).isZero();
    assertThat(o.stdoutText()).isEqualTo("RESULT");
    assertThat(o.logLine()).isNull();
    assertThat(sockets).containsExactly(Path.of("/run/x.sock"));
    assertThat(sentHeaders.get(0))
        .containsExactly(
            Map.entry("X-Cni-Command", "ADD"),
            Map.entry("X-Cni-Containerid", "abc"),
            Map.entry("X-Cni-Netns", "/var/run/netns/abc"),
            Map.entry("X-Cni-Ifname", "eth0"),
            Map.entry("X-Cni-Args", "K8S_POD_NAME=p%20;IgnoreUnknown=1"),
            Map.entry("X-Cni-Path", "/opt/cni/bin"));
    assertThat(bodies.get(0)).isEqualTo(bytes(conf));
  }

  @Test
  void daemonErrorsKeepTheirBytesAndExitOne() {
    CniOutcome o =
        new CniDispatcher(env("DEL"), answering(200, Map.of("x-cni-exit", "1"), "{\"code\":7}"))
            .handle(bytes("{\"cniVersion\":\"1.0.0\"}"));
    assertThat(o.exitStatus()).isEqualTo(1);
    assertThat(o.stdoutText()).isEqualTo("{\"code\":7}");
    assertThat(sockets).containsExactly(Path.of(CniExchange.DEFAULT_SOCKET));
  }

  static Stream<Arguments> localAnswers() {
    String v040 = "{\"cniVersion\":\"0.4.0\",\"ipam\":{\"ipam_unix_socket_path\":\"/s.sock\"}}";
    return Stream.of(
        Arguments.of(
            "ADD",
            v040,
            failing(new ConnectException("Connection refused")),
            "{\"cniVersion\":\"0.4.0\",\"code\":11,\"msg\":\"spiderpool node daemon is unreachable\","
                + "\"details\":\"socket /s.sock: ConnectException (Connection refused); is the spiderpool"
                + " daemon running on this node?\"}\n"),
        Arguments.of(
            "DEL",
            "{}",
            failing(new NoSuchFileException("/var/run/spidernet/spiderpool.sock")),
            "{\"cniVersion\":\"1.1.0\",\"code\":11,\"msg\":\"spiderpool node daemon is unreachable\","
                + "\"details\":\"socket /var/run/spidernet/spiderpool.sock: NoSuchFileException"
                + " (/var/run/spidernet/spiderpool.sock); is the spiderpool daemon running on this node?\"}\n"),
        Arguments.of(
            "STATUS",
            "{\"cniVersion\":\"1.1.0\"}",
            failing(new SocketTimeoutException()),
            "{\"cniVersion\":\"1.1.0\",\"code\":50,\"msg\":\"spiderpool node daemon is unreachable\","
                + "\"details\":\"socket /var/run/spidernet/spiderpool.sock: SocketTimeoutException;"
                + " is the spiderpool daemon running on this node?\"}\n"),
        Arguments.of(
            "ADD",
            "{\"cniVersion\":\"1.0.0\"}",
            (DaemonTransport) (s, h, b) -> new HttpResponse(503, Map.of(), bytes("\"too many\"")),
            "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"spiderpool node daemon is busy\","
                + "\"details\":\"socket /var/run/spidernet/spiderpool.sock answered 503: \\\"too many\\\"\"}\n"),
        Arguments.of(
            "CHECK",
            "{\"cniVersion\":\"1.0.0\"}",
            (DaemonTransport)
                (s, h, b) -> new HttpResponse(404, Map.of(), bytes("\"path /v1/cni not found\"")),
            "{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"spiderpool node daemon gave no CNI answer\","
                + "\"details\":\"socket /var/run/spidernet/spiderpool.sock answered HTTP 404 to POST /v1/cni:"
                + " \\\"path /v1/cni not found\\\" (plugin and daemon versions differ?)\"}\n"),
        Arguments.of(
            "",
            v040,
            failing(new ConnectException()),
            "{\"cniVersion\":\"0.4.0\",\"code\":4,\"msg\":\"required env variables [CNI_COMMAND] missing\","
                + "\"details\":\"set CNI_COMMAND to one of ADD, DEL, CHECK, GC, STATUS, VERSION\"}\n"));
  }

  @ParameterizedTest
  @MethodSource("localAnswers")
  void answersLocallyWhenTheDaemonCannotAnswer(
      String command, String stdin, DaemonTransport t, String expected) {
    Map<String, String> env = command.isEmpty() ? Map.of("CNI_COMMAND", "") : env(command);
    CniOutcome o = new CniDispatcher(env, t).handle(bytes(stdin));
    assertThat(o.exitStatus()).isEqualTo(1);
    assertThat(o.stdoutText()).isEqualTo(expected);
    assertThat(o.logLine()).contains(expected.trim());
  }

  @ParameterizedTest
  @MethodSource("versionInputs")
  void versionEchoesTheRequestedVersion(String stdin, String version) {
    CniOutcome o =
        new CniDispatcher(Map.of("CNI_COMMAND", "VERSION"), failing(new ConnectException()))
            .handle(bytes(stdin));
    assertThat(o.exitStatus()).isZero();
    assertThat(o.stdoutText())
        .startsWith("{\"cniVersion\":\"" + version + "\",\"supportedVersions\":[");
  }

  static Stream<Arguments> versionInputs() {
    return Stream.of(
        Arguments.of("", "1.1.0"),
        Arguments.of("{\"cniVersion\":\"0.3.1\"}", "0.3.1"),
        Arguments.of("{\"cniVersion\":7}", "1.1.0"),
        Arguments.of("garbage", "1.1.0"));
  }

  /**
   * A configuration that does not decode is answered here with code 6, whatever socket it might
   * have named, before any daemon is looked for (a non-default socket made this code 11 before).
   */
  @ParameterizedTest
  @MethodSource("undecodable")
  void anUndecodableConfigIsCodeSixWithoutAskingTheDaemon(String stdin, String details) {
    CniOutcome o = new CniDispatcher(env("ADD"), NEVER).handle(bytes(stdin));
    assertThat(o.exitStatus()).isEqualTo(1);
    assertThat(o.stdoutText())
        .startsWith(
            "{\"cniVersion\":\"1.1.0\",\"code\":6,"
                + "\"msg\":\"decoding version from network config\",\"details\":\""
                + details);
    assertThat(o.logLine()).contains("\"code\":6");
  }

  static Stream<Arguments> undecodable() {
    return Stream.of(
        Arguments.of("", "network config: "),
        Arguments.of("{\"cniVersion\":\"1.0.0\",", "network config: "),
        Arguments.of(
            "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"ipam_unix_socket_path\":\"/run/custom.sock\"}",
            "network config: "),
        Arguments.of("[1]", "network config must be a JSON object, not an array"),
        Arguments.of("\"x\"", "network config must be a JSON object, not a string"),
        Arguments.of("[".repeat(10_000), "network config: "));
  }

  @Test
  void aConfigOverTheLimitIsRefusedNamingTheLimitAndOneAtTheLimitIsForwarded() {
    String head = "{\"cniVersion\":\"1.0.0\",\"pad\":\"";
    String atLimit = head + "x".repeat(CniCallRules.MAX_CONFIG_BYTES - head.length() - 2) + "\"}";
    assertThat(bytes(atLimit)).hasSize(CniCallRules.MAX_CONFIG_BYTES);
    CniOutcome ok =
        new CniDispatcher(env("ADD"), answering(200, Map.of("x-cni-exit", "0"), "R"))
            .handle(bytes(atLimit));
    assertThat(ok.stdoutText()).isEqualTo("R");
    assertThat(bodies.get(0)).hasSize(CniCallRules.MAX_CONFIG_BYTES);

    String tenMegabytes = head + "x".repeat(10 << 20) + "\"}";
    CniOutcome o = new CniDispatcher(env("ADD"), NEVER).handle(bytes(tenMegabytes));
    assertThat(o.exitStatus()).isEqualTo(1);
    assertThat(o.stdoutText())
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"code\":6,\"msg\":\"network config too large\","
                + "\"details\":\"the configuration on stdin is larger than 1048576 bytes (1 MiB), the most this plugin"
                + " accepts\"}\n");
  }

  @Test
  void missingVariablesAreCodeFourWithoutAskingTheDaemon() {
    Map<String, String> env = env("ADD");
    env.remove("CNI_CONTAINERID");
    env.remove("CNI_NETNS");
    CniOutcome o = new CniDispatcher(env, NEVER).handle(bytes("{\"cniVersion\":\"0.4.0\"}"));
    assertThat(o.stdoutText())
        .isEqualTo(
            "{\"cniVersion\":\"0.4.0\",\"code\":4,"
                + "\"msg\":\"required env variables [CNI_CONTAINERID,CNI_NETNS] missing\"}\n");
    Map<String, String> del = env("DEL");
    del.remove("CNI_NETNS");
    CniOutcome forwarded =
        new CniDispatcher(del, answering(200, Map.of("x-cni-exit", "0"), ""))
            .handle(bytes("{\"cniVersion\":\"0.4.0\"}"));
    assertThat(forwarded.exitStatus()).as("DEL needs no netns").isZero();
  }
}
