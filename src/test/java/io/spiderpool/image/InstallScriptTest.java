// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.testing.e2e.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * src/main/image/cni/install.sh, the init container's step, on fake payloads: what lands in the CNI
 * bin dir, that timestamps survive (the class-data archive depends on the jar's mtime), that an
 * upgrade keeps the previous payload for calls in flight and drops older ones, and that other
 * plugins in the directory are never touched.
 */
class InstallScriptTest {
  @TempDir Path tmp;

  @Test
  void installsByRenamesKeepsThePreviousPayloadAndLeavesOtherPluginsAlone() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("opt/cni/bin"));
    Files.writeString(bin.resolve("bridge"), "not ours");
    Instant jarTime = Instant.parse("2026-01-02T03:04:05Z");

    install(payload("aaaa", jarTime), bin);
    assertThat(launcherId(bin)).isEqualTo("aaaa");
    Path a = bin.resolve("spiderpool.d/aaaa");
    assertThat(a.resolve("runtime/bin/java")).isRegularFile();
    assertThat(Files.getLastModifiedTime(a.resolve("spiderpool-cni.jar")).toInstant())
        .isEqualTo(jarTime);
    assertThat(Files.isExecutable(bin.resolve("spiderpool"))).isTrue();

    install(payload("bbbb", jarTime), bin);
    assertThat(launcherId(bin)).isEqualTo("bbbb");
    assertThat(entries(bin.resolve("spiderpool.d"))).containsExactly("aaaa", "bbbb");

    install(payload("cccc", jarTime), bin);
    assertThat(launcherId(bin)).isEqualTo("cccc");
    assertThat(entries(bin.resolve("spiderpool.d")))
        .as("current and previous only")
        .containsExactly("bbbb", "cccc");

    // the same image again (a restarted Pod): nothing renamed, so nothing removed either
    install(payload("cccc", jarTime), bin);
    assertThat(entries(bin.resolve("spiderpool.d"))).containsExactly("bbbb", "cccc");
    install(payload("dddd", jarTime), bin);
    assertThat(entries(bin.resolve("spiderpool.d"))).containsExactly("cccc", "dddd");
    assertThat(Files.readString(bin.resolve("bridge"))).isEqualTo("not ours");
    assertThat(entries(bin)).containsExactly("bridge", "spiderpool", "spiderpool.d");
  }

  @Test
  void aMissingBinDirIsAnErrorThatSaysWhy() throws Exception {
    Command.Outcome out =
        Command.run(
            List.of(
                "sh",
                payload("dddd", Instant.now()).resolve("install.sh").toString(),
                tmp.resolve("nowhere").toString()),
            Map.of(),
            "",
            Duration.ofSeconds(30));
    assertThat(out.ok()).isFalse();
    assertThat(out.stderr()).contains("is not a directory (is the host's CNI bin dir mounted?)");
  }

  /**
   * A payload laid out as in the image's /opt/spiderpool/cni, with the real script and launcher.
   */
  private Path payload(String id, Instant jarTime) throws Exception {
    Path p = Files.createDirectories(tmp.resolve("image-" + id + "-" + System.nanoTime()));
    Files.createDirectories(p.resolve("runtime/bin"));
    Files.writeString(p.resolve("runtime/bin/java"), "#!/bin/sh\n");
    Files.writeString(p.resolve("spiderpool-cni.jar"), "jar " + id);
    Files.setLastModifiedTime(p.resolve("spiderpool-cni.jar"), FileTime.from(jarTime));
    Files.writeString(p.resolve("spiderpool-cni.aot"), "aot " + id);
    Files.writeString(p.resolve("ID"), id + "\n");
    Files.writeString(
        p.resolve("spiderpool"),
        Files.readString(Path.of("src/main/image/cni/spiderpool"))
            .replace("@PAYLOAD_ID@", id)
            .replace("@JVM_OPTIONS@", "-Xmx64m"));
    Files.copy(Path.of("src/main/image/cni/install.sh"), p.resolve("install.sh"));
    return p;
  }

  private static void install(Path payload, Path bin) {
    Command.Outcome out =
        Command.run(
            List.of("sh", payload.resolve("install.sh").toString(), bin.toString()),
            Map.of(),
            "",
            Duration.ofSeconds(30));
    assertThat(out.ok()).as(out.describe()).isTrue();
  }

  private static String launcherId(Path bin) throws Exception {
    return Files.readAllLines(bin.resolve("spiderpool")).stream()
        .filter(l -> l.startsWith("payload="))
        .map(l -> l.substring(l.lastIndexOf('/') + 1))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> entries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
