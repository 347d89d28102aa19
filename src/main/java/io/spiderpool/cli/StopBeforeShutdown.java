// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes what must still talk to the API server while stopping — the controller role releasing its
 * Lease — when Quarkus begins its shutdown, before it closes the Kubernetes client. Closing only
 * after {@code Quarkus.waitForExit()} returns races with that and loses: the release then fails
 * with "connection was closed" and the next holder waits a whole lease duration. Registered
 * resources are closed in reverse order; closing them again later must be harmless.
 */
@Singleton
public class StopBeforeShutdown {
  private static final Logger LOG = Logger.getLogger(StopBeforeShutdown.class.getName());
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Registers {@code resource} (null is ignored) and returns it. */
  public synchronized <T extends AutoCloseable> T register(T resource) {
    if (resource != null) {
      resources.push(resource);
    }
    return resource;
  }

  void onShutdown(@Observes ShutdownEvent event) {
    AutoCloseable r;
    while ((r = next()) != null) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + r + " during shutdown failed", e);
      }
    }
  }

  private synchronized AutoCloseable next() {
    return resources.poll();
  }
}
