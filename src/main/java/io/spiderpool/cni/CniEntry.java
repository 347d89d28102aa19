// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.Concat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * The plugin process's exit wrapper around {@link CniDispatcher}: reads stdin, prints the outcome,
 * appends the local error line (if any) to the configured log file, returns the exit status. Uses
 * JDK classes only, so a runtime's call costs a bare JVM start and not a framework boot. Nothing
 * but the result ever reaches stdout; log failures are ignored, because a CNI answer must not be
 * lost to a full or read-only log directory.
 */
public final class CniEntry {
  private CniEntry() {}

  /**
   * The plugin's own entry for launchers that skip the Quarkus runner ({@code
   * hack/spiderpool-cni}): the class path is then this one jar. {@code --train} runs the class-data
   * archive training.
   */
  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals("--train")) {
      CniTraining.run();
      return;
    }
    int status = runFromProcess();
    System.out.flush();
    // halt, not exit: everything is written and there are no shutdown hooks to run, while
    // System.exit on JDK 21+ first initialises System.Logger to log the exit (~3 ms)
    Runtime.getRuntime().halt(status);
  }

  /** Runs with the real environment and standard streams; returns the exit status. */
  public static int runFromProcess() {
    return run(
        System.getenv(),
        System.in,
        System.out,
        new SpoolTransport(SpoolTransport.DEFAULT_TIMEOUT_MILLIS));
  }

  /** Runs one CNI call; stdout receives only the result or the error object. */
  public static int run(
      Map<String, String> env, InputStream stdin, OutputStream stdout, DaemonTransport transport) {
    byte[] input = readStdin(stdin);
    CniOutcome outcome = new CniDispatcher(env, transport).handle(input);
    try {
      stdout.write(outcome.stdout());
      stdout.flush();
    } catch (IOException e) {
      return 1;
    }
    Path logFile = outcome.logLine() == null ? null : NetConfPeek.of(input).logFile();
    if (logFile != null) {
      appendLog(logFile, outcome.logLine());
    }
    return outcome.exitStatus();
  }

  /**
   * Reads stdin up to one byte more than {@link CniCallRules#MAX_CONFIG_BYTES} (enough to refuse
   * it) and drains the rest unread, so a runtime writing a huge config is not left blocked on a
   * full pipe. An unreadable stdin counts as empty, which then fails to decode (code 6).
   */
  static byte[] readStdin(InputStream stdin) {
    try {
      byte[] head = stdin.readNBytes(CniCallRules.MAX_CONFIG_BYTES + 1);
      if (head.length > CniCallRules.MAX_CONFIG_BYTES) {
        stdin.transferTo(OutputStream.nullOutputStream());
      }
      return head;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static void appendLog(Path file, String line) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Files.writeString(
          file,
          Concat.of(Instant.now(), " ERROR ", line, System.lineSeparator()),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException ignored) {
      // the answer on stdout is what matters
    }
  }
}
