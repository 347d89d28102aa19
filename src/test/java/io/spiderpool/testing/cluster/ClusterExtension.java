// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.cluster;

import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the {@link OneNodeCluster} to {@code *ClusterE2E} tests: one cluster per test run, started
 * on first use with the spiderpool image imported (built by {@code hack/image.sh} when missing or
 * older than the application), stopped when JUnit closes the root context. A machine that cannot
 * run it fails the test with what is missing and the command that provides it; nothing is skipped.
 */
public final class ClusterExtension implements ParameterResolver {
  /** The archive hack/image.sh writes. */
  public static final Path IMAGE = Path.of("target/spiderpool-image.tar");

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == OneNodeCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    ExtensionContext.Store store =
        c.getRoot().getStore(ExtensionContext.Namespace.create(ClusterExtension.class));
    return store.getOrComputeIfAbsent("cluster", k -> new Closing(start()), Closing.class).cluster;
  }

  private static OneNodeCluster start() {
    requireMachine();
    buildImageIfStale();
    Path state =
        Path.of(
            System.getProperty(
                "spiderpool.cluster.dir", "/tmp/spcl-e2e-" + ProcessHandle.current().pid()));
    return OneNodeCluster.start(
        state, System.getProperty("spiderpool.cluster.netns", "spcl-e2e"), List.of(IMAGE));
  }

  /**
   * Root, the runtime and the binaries hack/setup.sh provides; all missing pieces in one failure.
   */
  static void requireMachine() {
    List<String> missing = new ArrayList<>();
    if (!Command.run("id", "-u").stdout().trim().equals("0")) {
      missing.add("root (the node is a network namespace; kubelet and containerd need root)");
    }
    for (String c : List.of("containerd", "runc", "ctr", "umoci", "ip")) {
      if (!Command.run("sh", "-c", "command -v " + c).ok()) {
        missing.add(c);
      }
    }
    Properties v = versions();
    Path base =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "SPIDERPOOL_K8S_DIR",
                    System.getProperty("user.home") + "/.cache/spiderpool/k8s"));
    Path bin = base.resolve(v.getProperty("K8S_VERSION"));
    for (String b :
        List.of(
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kubelet",
            "kubectl")) {
      if (!Files.isExecutable(bin.resolve(b))) {
        missing.add(bin.resolve(b).toString());
      }
    }
    for (Path p :
        List.of(
            base.resolve("helm-" + v.getProperty("HELM_VERSION")).resolve("helm"),
            base.resolve("cri-tools-" + v.getProperty("CRI_TOOLS_VERSION")).resolve("crictl"))) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "the cluster tier (*ClusterE2E) cannot run here; missing: "
              + String.join("; ", missing)
              + ". Run hack/setup.sh as root (it installs containerd, runc, umoci and builds the binaries"
              + " with hack/k8s-build.sh --cluster), then the tests as root.");
    }
  }

  /** hack/k8s-versions.env, the pins the scripts use. */
  public static Properties versions() {
    Properties p = new Properties();
    try (var in = Files.newInputStream(Path.of("hack/k8s-versions.env"))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static void buildImageIfStale() {
    if (Files.exists(IMAGE)
        && !newerThanImage(Path.of("target/quarkus-app/quarkus-run.jar"))
        && !newerThanImage(Path.of("target/quarkus-app/app"))
        && !newerThanImage(Path.of("src/main/image"))
        && !newerThanImage(Path.of("hack/image.sh"))) {
      return;
    }
    Command.Outcome built =
        Command.run(List.of("hack/image.sh"), Map.of(), "", Duration.ofMinutes(15));
    if (!built.ok()) {
      throw new AssertionError("hack/image.sh failed:\n" + built.describe());
    }
    System.err.println(built.stderr());
  }

  private static boolean newerThanImage(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      FileTime image = Files.getLastModifiedTime(IMAGE);
      return files.anyMatch(
          f -> {
            try {
              return Files.getLastModifiedTime(f).compareTo(image) > 0;
            } catch (IOException e) {
              return true;
            }
          });
    } catch (IOException e) {
      return true;
    }
  }

  private record Closing(OneNodeCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
