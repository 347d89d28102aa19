// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import io.spiderpool.core.config.ClusterConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Hands what the daemon read at start to beans created after it, chiefly the IPAM engine: the
 * command records its settings and {@code conf.yml} here before it asks CDI for the engine, and
 * the engine injects {@link ClusterConfig}. Asking for it outside the daemon, or too early, is a
 * wiring bug and fails loudly rather than running with defaults.
 */
@Singleton
public class DaemonContext {
  private volatile DaemonSettings settings;
  private volatile ClusterConfig config;

  /** Records the daemon's start-up inputs; called once by the daemon command. */
  public void set(DaemonSettings settings, ClusterConfig config) {
    this.settings = settings;
    this.config = config;
  }

  /** The resolved settings, once the daemon has read them. */
  public DaemonSettings settings() {
    if (settings == null) {
      throw new IllegalStateException("daemon settings are read by 'spiderpool daemon' at start;"
          + " nothing may use them before");
    }
    return settings;
  }

  /** {@code conf.yml}, for injection into the engine. */
  @Produces
  @Singleton
  ClusterConfig clusterConfig() {
    if (config == null) {
      throw new IllegalStateException("conf.yml is read by 'spiderpool daemon' at start;"
          + " a bean needing ClusterConfig was created before that, or outside the daemon");
    }
    return config;
  }
}
