// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import static io.spiderpool.testing.Waits.POLL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One {@code spiderpool daemon} JVM acting as the agent of one node: its own node name, socket,
 * health and metrics ports, the control plane's kubeconfig. Output goes to {@code
 * target/e2e-logs/<node>.log}, which failure messages point to. {@link #close()} stops the process
 * by its PID (TERM, then KILL after 10 s) and removes the socket.
 */
public final class DaemonProcess implements AutoCloseable {
  /** Where daemon logs are kept after the run. */
  public static final Path LOG_DIR = Path.of("target/e2e-logs");

  private final String node;
  private final Path socket;
  private final int healthPort;
  private final int metricsPort;
  private final Path log;
  private final Process process;

  private DaemonProcess(
      String node, Path socket, int healthPort, int metricsPort, Path log, Process process) {
    this.node = node;
    this.socket = socket;
    this.healthPort = healthPort;
    this.metricsPort = metricsPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts a daemon for {@code node} listening on {@code socket}, with {@code conf} (a
   * spiderpool-conf {@code conf.yml}; {@code null} for the defaults), and waits until {@code GET
   * /v1/ipam/healthy} answers 200.
   */
  public static DaemonProcess start(
      Path kubeconfig, String node, Path socket, Path conf, Duration readyWithin) {
    return start(kubeconfig, node, socket, conf, Map.of(), readyWithin);
  }

  /** As {@link #start(Path, String, Path, Path, Duration)}, with extra environment variables. */
  public static DaemonProcess start(
      Path kubeconfig,
      String node,
      Path socket,
      Path conf,
      Map<String, String> env,
      Duration readyWithin) {
    return start(kubeconfig, node, socket, conf, env, List.of(), readyWithin);
  }

  /**
   * As {@link #start(Path, String, Path, Path, Map, Duration)}, with more arguments for {@code
   * spiderpool daemon} (e.g. the webhook's port and certificate).
   */
  public static DaemonProcess start(
      Path kubeconfig,
      String node,
      Path socket,
      Path conf,
      Map<String, String> env,
      List<String> moreArgs,
      Duration readyWithin) {
    int health = freePort();
    int metrics = freePort();
    List<String> argv =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-jar",
                SpiderpoolBinary.jar().toString(),
                "daemon",
                "--kubeconfig",
                kubeconfig.toAbsolutePath().toString(),
                "--node-name",
                node,
                "--socket",
                socket.toString(),
                "--health-port",
                Integer.toString(health),
                "--metrics-port",
                Integer.toString(metrics)));
    if (conf != null) {
      argv.addAll(List.of("--config", conf.toAbsolutePath().toString()));
    }
    argv.addAll(moreArgs);
    try {
      Files.createDirectories(LOG_DIR);
      Files.createDirectories(socket.getParent());
      Files.deleteIfExists(socket);
      Path log = LOG_DIR.resolve(node + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      pb.environment().put("SPIDERPOOL_NODE_NAME", node);
      pb.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
      // two daemons on one host would both want the webhook port; the e2e tests register none
      pb.environment().put("SPIDERPOOL_WEBHOOK_ENABLED", "false");
      pb.environment().putAll(env);
      DaemonProcess d = new DaemonProcess(node, socket, health, metrics, log, pb.start());
      d.process.getOutputStream().close();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(d::close, "spiderpool-e2e-daemon-stop-" + node));
      d.awaitReady(readyWithin);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the daemon for node " + node, e);
    }
  }

  private void awaitReady(Duration within) {
    AgentSocket agent = new AgentSocket(socket);
    try {
      await("daemon for node " + node + " answers GET /v1/ipam/healthy")
          .atMost(within)
          .pollInterval(POLL)
          .failFast(
              "daemon for node " + node + " exited before it was ready", () -> !process.isAlive())
          .ignoreExceptionsInstanceOf(IOException.class)
          .untilAsserted(
              () -> {
                assertThat(socket).exists();
                AgentSocket.Response r = agent.get("/v1/ipam/healthy");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
              });
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      close();
      throw new IllegalStateException(
          e.getMessage()
              + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
              + "; log "
              + log.toAbsolutePath()
              + ":\n"
              + tail(),
          e);
    }
  }

  /** The node this daemon serves. */
  public String node() {
    return node;
  }

  /** Its agent socket. */
  public Path socket() {
    return socket;
  }

  /** Its health port on 127.0.0.1. */
  public int healthPort() {
    return healthPort;
  }

  /** Its metrics port on 127.0.0.1 ({@code /metrics}, Prometheus text). */
  public int metricsPort() {
    return metricsPort;
  }

  /** The log file. */
  public Path log() {
    return log;
  }

  /** Its PID. */
  public long pid() {
    return process.pid();
  }

  /** The last 60 lines of the log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL, as a node that dies: no shutdown hook runs, nothing is released. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the process is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      // best effort: the socket dir is a temp dir
    }
  }

  /** A port free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code java} of this JVM's home, or of the JDK home that the system property {@code
   * spiderpool.e2e.java} names (MemoryBench's {@code java=PATH}: the daemon on another runtime).
   */
  static String javaBin() {
    String home = System.getProperty("spiderpool.e2e.java", "");
    return Path.of(home.isEmpty() ? System.getProperty("java.home") : home, "bin", "java")
        .toString();
  }
}
