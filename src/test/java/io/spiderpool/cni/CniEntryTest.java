// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.wire.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit wrapper: stdout carries only the answer, local errors go to the log file. */
class CniEntryTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String stdin, DaemonTransport t) {
    return CniEntry.run(
        env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, t);
  }

  @Test
  void versionIsAnsweredWithoutTheDaemon() {
    DaemonTransport never =
        (s, h, b) -> {
          throw new AssertionError("VERSION must not reach the daemon");
        };
    assertThat(run(Map.of("CNI_COMMAND", "VERSION"), "", never)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
  }

  @Test
  void unreachableDaemonIsLoggedToTheConfiguredFileAndNotToStdout() throws IOException {
    Path log = dir.resolve("nested/spiderpool.log");
    String conf =
        "{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"ipam\":{\"type\":\"spiderpool\",\"log_file_path\":\""
            + log
            + "\"}}";
    int exit =
        run(
            RuntimeEnv.of("ADD"),
            conf,
            (s, h, b) -> {
              throw new ConnectException("Connection refused");
            });
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("{\"cniVersion\":\"0.4.0\",\"code\":11,")
        .endsWith("}\n")
        .hasLineCount(1);
    assertThat(Files.readString(log))
        .contains(" ERROR CNI ADD containerID=c1 ")
        .contains("\"code\":11");
  }

  @Test
  void daemonAnswerIsPrintedVerbatimWithItsExitStatus() {
    byte[] answer = "{\"cniVersion\":\"1.0.0\",\"ips\":[]}".getBytes(StandardCharsets.UTF_8);
    int exit =
        run(
            RuntimeEnv.of("ADD"),
            "{}",
            (s, h, b) -> new HttpResponse(200, Map.of("x-cni-exit", "0"), answer));
    assertThat(exit).isZero();
    assertThat(out.toByteArray()).isEqualTo(answer);
  }

  /** A 10 MB stdin is read only up to the limit, the rest drained, and answered with code 6. */
  @Test
  void aHugeStdinIsDrainedAndRefusedWithCodeSix() {
    byte[] huge =
        ("{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(10 << 20) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(huge);
    DaemonTransport never =
        (s, h, b) -> {
          throw new AssertionError("a config over the limit must not reach the daemon");
        };
    int exit = CniEntry.run(RuntimeEnv.of("ADD"), in, out, never);
    assertThat(exit).isEqualTo(1);
    assertThat(in.available()).as("stdin drained").isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"code\":6")
        .contains("1048576 bytes");
  }
}
