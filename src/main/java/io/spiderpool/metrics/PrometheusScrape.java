// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.metrics;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The Prometheus text exposition of every meter Quarkus registered (ours, JVM, process), for the
 * daemon's own metrics listener. Keeps Micrometer types out of the daemon package.
 */
@Singleton
public class PrometheusScrape {
  private final PrometheusMeterRegistry registry;

  @Inject
  @SuppressWarnings("deprecation") // the simpleclient registry is the one this Quarkus produces
  public PrometheusScrape(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** The current metrics in text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }
}
