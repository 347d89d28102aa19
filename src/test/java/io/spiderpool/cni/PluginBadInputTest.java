// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.json.JsonReader;
import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.service.ipam.FakeIpamService;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Garbage at the plugin's edge (docs/reliability.md, "Bad input"): the whole path of a runtime's
 * call in one JVM — the plugin entry reading stdin, the real wire codec, the daemon's CNI handler
 * over a recording engine. Each input must end in one CNI error object on stdout with the spec's
 * code and a message naming the problem, exit status 1, no Java exception text, and no engine call.
 */
class PluginBadInputTest {
  private static final String GOOD_ARGS =
      "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1;K8S_POD_UID=uid-1";

  private final FakeIpamService engine = new FakeIpamService();
  private final CniRequestHandler daemon = new CniRequestHandler(engine, (n, v) -> {}, () -> true);
  private int forwarded;

  /**
   * The daemon side as the spool serves it: the plugin's request bytes parsed back by the codec.
   */
  private final DaemonTransport throughTheCodec =
      (socket, headers, body) -> {
        forwarded++;
        HttpRequest request =
            HttpCodec.readRequest(new ByteArrayInputStream(CniExchange.request(headers, body)));
        HttpResponse reply = daemon.handle(request);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        HttpCodec.write(wire, reply, true);
        return HttpCodec.readResponse(new ByteArrayInputStream(wire.toByteArray()));
      };

  static Stream<Arguments> badInputs() {
    byte[] nul =
        bytes("{\"cniVersion\":\"1.0.0\",\"ipam\":{\"ipam_unix_socket_path\":\"/run/a\\u0000b\"}}");
    byte[] nulLog =
        bytes("{\"cniVersion\":\"1.0.0\",\"ipam\":{\"log_file_path\":\"/var/log/\\u0000\"}}");
    byte[] invalidUtf8 =
        concat(
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n"),
            new byte[] {(byte) 0xff},
            bytes("\"}"));
    byte[] overlong =
        concat(
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\""),
            new byte[] {(byte) 0xc0, (byte) 0xaf},
            bytes("\"}"));
    byte[] surrogate =
        concat(
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\""),
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            bytes("\"}"));
    byte[] truncated =
        concat(
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\"\"}"),
            new byte[] {(byte) 0xe2, (byte) 0x82});
    String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
    String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String tenMegabytes = "{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(10 << 20) + "\"}";
    return Stream.of(
        Arguments.of(
            "empty stdin",
            env("ADD"),
            new byte[0],
            6,
            "decoding version from network config",
            "network config: "),
        Arguments.of(
            "not JSON",
            env("ADD"),
            bytes("cniVersion=1.0.0"),
            6,
            "decoding version from network config",
            "network config: "),
        Arguments.of(
            "cut-off JSON",
            env("ADD"),
            bytes("{\"cniVersion\":\"1.0.0\""),
            6,
            "decoding version from network config",
            "network config: "),
        Arguments.of(
            "JSON but not an object",
            env("ADD"),
            bytes("null"),
            6,
            "decoding version from network config",
            "must be a JSON object, not null"),
        Arguments.of(
            "10,000 nested arrays",
            env("ADD"),
            bytes(deepArrays),
            6,
            "decoding version from network config",
            "nesting deeper than " + JsonReader.DEFAULT_MAX_DEPTH),
        Arguments.of(
            "10,000 nested objects",
            env("ADD"),
            bytes(deepObjects),
            6,
            "decoding version from network config",
            "nesting deeper than " + JsonReader.DEFAULT_MAX_DEPTH),
        Arguments.of(
            "10 MB stdin",
            env("ADD"),
            bytes(tenMegabytes),
            6,
            "network config too large",
            "larger than 1048576 bytes"),
        Arguments.of(
            "invalid UTF-8 byte",
            env("ADD"),
            invalidUtf8,
            6,
            "decoding version from network config",
            "not valid UTF-8: byte 0xff at offset "
                + "{\"cniVersion\":\"1.0.0\",\"name\":\"n".length()),
        Arguments.of(
            "overlong UTF-8 form",
            env("ADD"),
            overlong,
            6,
            "decoding version from network config",
            "not valid UTF-8: byte 0xc0 at offset "
                + "{\"cniVersion\":\"1.0.0\",\"name\":\"".length()),
        Arguments.of(
            "UTF-8 encoded surrogate",
            env("ADD"),
            surrogate,
            6,
            "decoding version from network config",
            "not valid UTF-8: byte 0xed at offset "
                + "{\"cniVersion\":\"1.0.0\",\"name\":\"".length()),
        Arguments.of(
            "UTF-8 cut in a sequence",
            env("ADD"),
            truncated,
            6,
            "decoding version from network config",
            "not valid UTF-8: byte 0xe2 at offset "
                + "{\"cniVersion\":\"1.0.0\",\"name\":\"\"}".length()),
        Arguments.of(
            "unknown cniVersion",
            env("ADD"),
            bytes("{\"cniVersion\":\"9.9.9\",\"name\":\"n\"}"),
            1,
            "incompatible CNI versions",
            "config is \\\"9.9.9\\\""),
        Arguments.of(
            "cniVersion not a string",
            env("ADD"),
            bytes("{\"cniVersion\":100}"),
            1,
            "incompatible CNI versions",
            "config is \\\"100\\\""),
        Arguments.of(
            "GC on an old version",
            env("GC"),
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"),
            1,
            "config version does not allow GC",
            "needs cniVersion 1.1.0"),
        Arguments.of(
            "no CNI_COMMAND",
            without(env("ADD"), "CNI_COMMAND"),
            bytes("{\"cniVersion\":\"1.0.0\"}"),
            4,
            "required env variables [CNI_COMMAND] missing",
            "set CNI_COMMAND"),
        Arguments.of(
            "unknown CNI_COMMAND",
            with(env("ADD"), "CNI_COMMAND", "ATTACH"),
            bytes("{\"cniVersion\":\"1.0.0\"}"),
            4,
            "unknown CNI_COMMAND: ATTACH",
            "use one of"),
        Arguments.of(
            "no CNI_CONTAINERID, CNI_NETNS",
            without(without(env("ADD"), "CNI_CONTAINERID"), "CNI_NETNS"),
            bytes("{\"cniVersion\":\"1.0.0\"}"),
            4,
            "required env variables [CNI_CONTAINERID,CNI_NETNS] missing",
            null),
        Arguments.of(
            "no CNI_PATH for STATUS",
            without(env("STATUS"), "CNI_PATH"),
            bytes("{\"cniVersion\":\"1.1.0\"}"),
            4,
            "required env variables [CNI_PATH] missing",
            null),
        Arguments.of(
            "container ID with a slash",
            with(env("ADD"), "CNI_CONTAINERID", "../etc"),
            bytes("{\"cniVersion\":\"1.0.0\"}"),
            4,
            "invalid characters in containerID",
            "../etc"),
        Arguments.of(
            "interface name with a slash",
            with(env("ADD"), "CNI_IFNAME", "eth/0"),
            bytes("{\"cniVersion\":\"1.0.0\"}"),
            4,
            "interface name contains / or : or whitespace characters",
            "eth/0"),
        Arguments.of(
            "NUL in the socket path",
            env("ADD"),
            nul,
            7,
            "invalid network config",
            "ipam.ipam_unix_socket_path contains a NUL character"),
        Arguments.of(
            "NUL in the log file path",
            env("ADD"),
            nulLog,
            7,
            "invalid network config",
            "ipam.log_file_path contains a NUL character"),
        Arguments.of(
            "CNI_ARGS without a value",
            with(env("ADD"), "CNI_ARGS", "K8S_POD_NAME"),
            bytes("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}"),
            4,
            "ARGS: invalid pair \"K8S_POD_NAME\"",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void isRefusedWithTheSpecCodeAndAMessageAndNothingReachesTheEngine(
      String what, Map<String, String> env, byte[] stdin, int code, String msg, String details)
      throws IOException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int exit = CniEntry.run(env, new ByteArrayInputStream(stdin), stdout, throughTheCodec);

    String out = stdout.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("exit status of %s", what).isEqualTo(1);
    assertThat(out).hasLineCount(1).endsWith("}\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) JsonReader.parse(out);
    assertThat(error.get("code")).as("CNI code; stdout %s", out).isEqualTo((long) code);
    assertThat((String) error.get("msg")).isEqualTo(msg);
    if (details != null) {
      assertThat(out).contains(details);
    }
    assertThat(out).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
    assertThat(engine.adds).as("allocations").isEmpty();
    assertThat(engine.releases).as("releases").isEmpty();
    // the plugin answers what it can judge without the daemon (environment, decoding, paths);
    // the version gate and CNI_ARGS are the daemon's
    boolean daemonJudges = code == 1 || msg.startsWith("ARGS");
    assertThat(forwarded).as("requests forwarded").isEqualTo(daemonJudges ? 1 : 0);
  }

  private static Map<String, String> env(String command) {
    return RuntimeEnv.of(command, "CNI_ARGS", GOOD_ARGS);
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    env.put(key, value);
    return env;
  }

  private static Map<String, String> without(Map<String, String> env, String key) {
    env.remove(key);
    return env;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] p : parts) {
      int at = all.length;
      all = Arrays.copyOf(all, at + p.length);
      System.arraycopy(p, 0, all, at, p.length);
    }
    return all;
  }
}
