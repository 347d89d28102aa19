// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import picocli.CommandLine.Option;

/**
 * The metrics options {@code spiderpool daemon} and {@code spiderpool controller} share; only the
 * port differs between them (5711 and 5721), so it stays with each command.
 */
final class MetricsOptions {
  @Option(
      names = "--metrics-address",
      paramLabel = "IP",
      description =
          "metrics address"
              + " (env SPIDERPOOL_METRIC_HTTP_ADDRESS; default SPIDERPOOL_POD_IP, else 127.0.0.1)")
  String metricsAddress;

  @Option(
      names = "--enable-metric",
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "serve /metrics on the metrics port (env SPIDERPOOL_ENABLED_METRIC; false)")
  String enableMetric;
}
