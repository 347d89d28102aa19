// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The packaged application and the {@code spiderpool} executable a main plugin finds in {@code
 * CNI_PATH}. Debian's plugins exec their IPAM plugin by the file name {@code ipam.type}, so the
 * harness puts a launcher with that name in a directory of its own: {@code hack/spiderpool-cni}
 * when the repository has it (it may start the JVM faster), else a two-line shell script.
 */
public final class SpiderpoolBinary {
  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
  private static final Path HACK_LAUNCHER = Path.of("hack/spiderpool-cni");

  private SpiderpoolBinary() {}

  /**
   * The fast-jar entry point; a failure that names the build command when it is missing. A bench
   * may point the system property {@code spiderpool.e2e.jar} at another build's (MemoryBench
   * compares two).
   */
  public static Path jar() {
    String other = System.getProperty("spiderpool.e2e.jar", "");
    if (!other.isEmpty()) {
      if (!Files.isRegularFile(Path.of(other))) {
        throw new IllegalStateException("spiderpool.e2e.jar=" + other + ": no such file");
      }
      return Path.of(other).toAbsolutePath();
    }
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath()
              + " is missing: the E2E tier runs after"
              + " packaging ('mvn verify', or 'mvn package' first)");
    }
    return JAR.toAbsolutePath();
  }

  /** The application jar of the fast-jar layout, which holds the plugin class. */
  static Path appJar() {
    Path app = jar().getParent().resolve("app");
    try (var files = Files.list(app)) {
      return files
          .filter(f -> f.getFileName().toString().matches("spiderpool-.*\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no spiderpool-*.jar in " + app))
          .toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code dir/spiderpool}, an executable that runs the plugin with the CNI environment and
   * stdin untouched, and returns {@code dir}.
   */
  public static Path installPlugin(Path dir) {
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve("spiderpool");
      String script;
      if (Files.isExecutable(HACK_LAUNCHER)) {
        // the launcher runs the plugin class straight from the application jar (no Quarkus runner)
        script =
            "#!/bin/sh\nSPIDERPOOL_CNI_ENV=/nonexistent SPIDERPOOL_CNI_JAVA="
                + DaemonProcess.javaBin()
                + " SPIDERPOOL_CNI_JAR="
                + appJar()
                + " exec "
                + HACK_LAUNCHER.toAbsolutePath()
                + " \"$@\"\n";
      } else {
        script =
            "#!/bin/sh\nexec "
                + DaemonProcess.javaBin()
                + " -XX:TieredStopAtLevel=1 -Xshare:auto -jar "
                + jar()
                + " \"$@\"\n";
      }
      Files.writeString(target, script);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spiderpool launcher into " + dir, e);
    }
  }
}
