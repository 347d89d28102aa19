// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command to completion with a deadline: given stdin, environment additions,
 * captured stdout and stderr. The E2E harness drives {@code ip} and CNI plugins through this one
 * place, so every child process is bounded in time and leaves its output for the failure message.
 */
public final class Command {

  /** What a finished command left behind. */
  public record Outcome(
      List<String> argv, int exitCode, String stdout, String stderr, Duration took) {
    /** Whether it exited 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** This outcome, or a failure naming the command, its exit code and its output. */
    public Outcome orThrow() {
      if (!ok()) {
        throw new IllegalStateException(describe());
      }
      return this;
    }

    /** Command line, exit code and both streams, for assertion messages. */
    public String describe() {
      return String.join(" ", argv)
          + " exited "
          + exitCode
          + " after "
          + took.toMillis()
          + " ms"
          + "\n--- stdout\n"
          + stdout
          + "\n--- stderr\n"
          + stderr;
    }
  }

  private Command() {}

  /** Runs {@code argv} with no stdin and the inherited environment; 30 s deadline. */
  public static Outcome run(String... argv) {
    return run(List.of(argv), Map.of(), "", Duration.ofSeconds(30));
  }

  /**
   * Runs {@code argv} with {@code env} added to (or, for {@code null} values, removed from) the
   * inherited environment and {@code stdin} written then closed. A command that outlives {@code
   * timeout} is killed and reported with exit code -1.
   */
  public static Outcome run(
      List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    long t0 = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the child may exit without reading its stdin; its exit code tells the story
    }
    try {
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      int code = done ? p.exitValue() : -1;
      String stderr =
          err.get(5, TimeUnit.SECONDS) + (done ? "" : "\n(killed after " + timeout + ")");
      return new Outcome(
          List.copyOf(argv),
          code,
          out.get(5, TimeUnit.SECONDS),
          stderr,
          Duration.ofNanos(System.nanoTime() - t0));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot collect the output of " + argv, e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
