// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands {@link LocalControlPlane} and its admin {@link KubernetesClient} to tests. One control
 * plane serves the whole test run: it is started on first use and stopped when JUnit closes the
 * root context at the end of the run. Tests isolate themselves by object names and namespaces.
 */
public final class ControlPlaneExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    Class<?> t = p.getParameter().getType();
    return t == LocalControlPlane.class || t == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    LocalControlPlane cp = shared(c);
    return p.getParameter().getType() == LocalControlPlane.class ? cp : cp.client();
  }

  private static LocalControlPlane shared(ExtensionContext c) {
    ExtensionContext.Store store =
        c.getRoot().getStore(ExtensionContext.Namespace.create(ControlPlaneExtension.class));
    return store.getOrComputeIfAbsent(
            "cp", k -> new Closing(LocalControlPlane.start(stateDir())), Closing.class)
        .cp;
  }

  /** cp.env is parsed as plain KEY=VALUE, so the path is kept simple: /tmp/spiderpool-it-PID. */
  private static Path stateDir() {
    return Path.of(
        System.getProperty(
            "spiderpool.cp.dir", "/tmp/spiderpool-it-" + ProcessHandle.current().pid()));
  }

  /** Stops the control plane when JUnit closes the root store. */
  private record Closing(LocalControlPlane cp) implements AutoCloseable {
    @Override
    public void close() {
      cp.close();
    }
  }
}
