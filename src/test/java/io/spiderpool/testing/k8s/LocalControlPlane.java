// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.k8s;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spiderpool.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real etcd + kube-apiserver on 127.0.0.1, started by {@code hack/k8s-up.sh} and stopped by
 * {@code hack/k8s-down.sh}, with the project's generated CRDs installed. Missing binaries are a
 * failure whose message says how to build them; nothing is skipped.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path stateDir;
  private final Properties env;
  private final KubernetesClient client;
  private final Duration startTime;

  private LocalControlPlane(Path stateDir, Properties env, Duration startTime) {
    this.stateDir = stateDir;
    this.env = env;
    this.startTime = startTime;
    this.client = newClient();
  }

  /** Starts a control plane whose state lives in {@code stateDir} and installs the CRDs. */
  public static LocalControlPlane start(Path stateDir) {
    long t0 = System.nanoTime();
    run(List.of("hack/k8s-up.sh"), stateDir, "start the local control plane");
    Properties env = new Properties();
    try (InputStream in = Files.newInputStream(stateDir.resolve("cp.env"))) {
      env.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "hack/k8s-up.sh succeeded but wrote no cp.env in " + stateDir, e);
    }
    LocalControlPlane cp =
        new LocalControlPlane(stateDir, env, Duration.ofNanos(System.nanoTime() - t0));
    // etcd and the API server run detached; stop them even if the JVM ends without closing us
    Runtime.getRuntime().addShutdownHook(new Thread(cp::stopOnce, "spiderpool-cp-stop"));
    cp.installCrds();
    System.err.printf(
        "local control plane %s ready at %s in %.1f s (state in %s)%n",
        env.getProperty("SPIDERPOOL_CP_K8S_VERSION"),
        cp.serverUrl(),
        cp.startTime.toMillis() / 1000.0,
        stateDir);
    return cp;
  }

  private static void run(List<String> command, Path stateDir, String what) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SPIDERPOOL_CP_DIR", stateDir.toString());
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "could not "
                + what
                + " ("
                + String.join(" ", command)
                + "):\n"
                + new String(out, StandardCharsets.UTF_8)
                + "\nIf the binaries are missing, build them once with hack/k8s-build.sh"
                + " (or run hack/setup.sh, which does).");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client with the admin kubeconfig; the caller closes it. */
  public KubernetesClient newClient() {
    try {
      String kubeconfig = Files.readString(kubeconfig());
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shared admin client. */
  public KubernetesClient client() {
    return client;
  }

  /** Path of the admin kubeconfig (certificates embedded). */
  public Path kubeconfig() {
    return Path.of(env.getProperty("SPIDERPOOL_CP_KUBECONFIG"));
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String serverUrl() {
    return env.getProperty("SPIDERPOOL_CP_SERVER");
  }

  /** Any value hack/k8s-up.sh wrote to cp.env. */
  public String property(String key) {
    return env.getProperty(key);
  }

  /** Wall time from invoking the start script to a ready API server. */
  public Duration startTime() {
    return startTime;
  }

  private void installCrds() {
    List<Path> files = generatedCrds();
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.resource(crd).forceConflicts().serverSideApply();
        names.add(crd.getMetadata().getName());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String name : names) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  k.getType().equals("Established")
                                      && k.getStatus().equals("True")),
              30,
              TimeUnit.SECONDS);
    }
  }

  /** The CRDs the build generated; the ITs run after packaging, so they must be there. */
  static List<Path> generatedCrds() {
    Path dir = Path.of("target/kubernetes");
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> crds =
          s.filter(p -> p.getFileName().toString().endsWith(".spiderpool.spidernet.io-v1.yml"))
              .sorted()
              .toList();
      if (crds.size() != 4) {
        throw new IllegalStateException(
            "expected 4 generated CRDs in "
                + dir
                + ", found "
                + crds
                + ": run the ITs with 'mvn verify' so that the package phase generates them");
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException("no generated CRDs in " + dir + ": run 'mvn verify'", e);
    }
  }

  // --- faults: the API server restarted alone, etcd paused -----------------------------------

  /** How long a stopped kube-apiserver may take to exit (SIGTERM drains in-flight requests). */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What {@link #restartApiServer} did; the times are {@link System#nanoTime()} readings, to
   * compare with the test's own.
   */
  public record Restart(
      long signalledNanos, long exitedNanos, long readyNanos, long oldPid, long newPid) {
    /** From the signal until the old process had exited. */
    public Duration toExit() {
      return Duration.ofNanos(exitedNanos - signalledNanos);
    }

    /** From the signal until the new process answered {@code /readyz}. */
    public Duration downtime() {
      return Duration.ofNanos(readyNanos - signalledNanos);
    }
  }

  /**
   * Restarts kube-apiserver alone: the running process is stopped (SIGTERM, as a restart drains; or
   * SIGKILL, as a crash loses every answer in flight), then started again with exactly its command
   * line — same port, certificates and etcd — and this returns once {@code /readyz} answers {@code
   * ok}. etcd and every client keep running; clients reconnect on their own. The pid file is
   * updated, so hack/k8s-down.sh stops the new process.
   */
  public synchronized Restart restartApiServer(boolean kill) {
    long pid = recordedPid("kube-apiserver");
    List<String> argv = cmdline(pid);
    if (argv.stream().noneMatch(a -> a.contains(stateDir.resolve("pki").toString()))) {
      throw new IllegalStateException(
          "pid " + pid + " is not this control plane's kube-apiserver: " + argv);
    }
    ProcessHandle old =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IllegalStateException("kube-apiserver " + pid + " is gone"));
    long signalled = System.nanoTime();
    boolean sent = kill ? old.destroyForcibly() : old.destroy();
    if (!sent) {
      throw new IllegalStateException("could not signal kube-apiserver " + pid);
    }
    try {
      old.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "kube-apiserver " + pid + " still runs " + STOP_TIMEOUT + " after the signal", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long exited = System.nanoTime();
    long fresh = spawn("kube-apiserver", argv);
    env.setProperty("SPIDERPOOL_CP_APISERVER_PID", Long.toString(fresh));
    try {
      await("kube-apiserver " + fresh + " answers /readyz with ok")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .failFast(
              "kube-apiserver " + fresh + " exited; see " + logFile("kube-apiserver"),
              () -> ProcessHandle.of(fresh).map(h -> !h.isAlive()).orElse(true))
          .until(() -> "ok".equals(client.raw("/readyz")));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(e.getMessage() + "; see " + logFile("kube-apiserver"), e);
    }
    return new Restart(signalled, exited, System.nanoTime(), pid, fresh);
  }

  /** A paused etcd; {@link #close()} resumes it. */
  public final class PausedEtcd implements AutoCloseable {
    private final long pid;
    private final Instant since = Instant.now();
    private boolean resumed;

    private PausedEtcd(long pid) {
      this.pid = pid;
    }

    /** When SIGSTOP was sent. */
    public Instant since() {
      return since;
    }

    /** SIGCONT; idempotent. */
    @Override
    public synchronized void close() {
      if (!resumed) {
        signal(pid, "CONT");
        resumed = true;
      }
    }
  }

  /**
   * SIGSTOP to etcd, as a stalled disk or a paused VM: every request the API server sends it waits
   * (connections stay open, nothing is refused) until {@link PausedEtcd#close()} sends SIGCONT. Use
   * it in try-with-resources so a failing test never leaves etcd stopped for the rest of the run.
   */
  public PausedEtcd pauseEtcd() {
    long pid = recordedPid("etcd");
    if (cmdline(pid).stream().noneMatch(a -> a.contains("spiderpool-cp-data."))) {
      throw new IllegalStateException("pid " + pid + " is not this control plane's etcd");
    }
    signal(pid, "STOP");
    return new PausedEtcd(pid);
  }

  private long recordedPid(String component) {
    Path f = stateDir.resolve(component + ".pid");
    try {
      return Long.parseLong(Files.readString(f).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("no pid of " + component + " in " + f, e);
    }
  }

  private Path logFile(String component) {
    return stateDir.resolve("logs").resolve(component + ".log");
  }

  private static List<String> cmdline(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      throw new UncheckedIOException("process " + pid + " is not running", e);
    }
  }

  private static void signal(long pid, String signal) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts {@code argv} as hack/k8s-up.sh does: in its own session, stdin from /dev/null, output
   * appended to {@code logs/<component>.log}; the wrapper writes its pid to the pid file and then
   * execs, so the pid file names the server itself. Returns that pid.
   */
  private long spawn(String component, List<String> argv) {
    Path pidFile = stateDir.resolve(component + ".pid");
    List<String> command = new ArrayList<>();
    command.addAll(List.of("setsid", "bash", "-c", "echo $$ >\"$0\"; exec \"$@\""));
    command.add(pidFile.toString());
    command.addAll(argv);
    try {
      Files.deleteIfExists(pidFile);
      new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(component).toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + component, e);
    }
    return await("the pid of the new " + component)
        .atMost(Waits.LOCAL)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> Optional.of(recordedPid(component)), Optional::isPresent)
        .get();
  }

  private final AtomicBoolean stopped = new AtomicBoolean();

  private void stopOnce() {
    if (stopped.compareAndSet(false, true)) {
      client.close();
      run(List.of("hack/k8s-down.sh"), stateDir, "stop the local control plane");
    }
  }

  @Override
  public void close() {
    stopOnce();
  }
}
