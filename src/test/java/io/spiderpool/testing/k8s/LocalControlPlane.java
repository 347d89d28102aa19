// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.k8s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

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
