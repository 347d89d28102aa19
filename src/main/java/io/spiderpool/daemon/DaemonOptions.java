// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

/**
 * The daemon's command-line options as typed, each null when not given. Kept raw so that {@link
 * DaemonSettings#resolve} alone decides precedence (option, then environment, then default) and
 * words every error, and so tests need no command-line parser.
 */
public record DaemonOptions(
    String kubeconfig,
    String nodeName,
    String podName,
    String podNamespace,
    String socket,
    String healthPort,
    String metricsPort,
    String enableMetric,
    String configPath,
    String healthAddress,
    String metricsAddress) {

  /** No option given: everything comes from the environment and defaults. */
  public static final DaemonOptions NONE =
      new DaemonOptions(null, null, null, null, null, null, null, null, null, null, null);

  /** The options without the bind addresses (both then come from the environment or defaults). */
  public DaemonOptions(
      String kubeconfig,
      String nodeName,
      String podName,
      String podNamespace,
      String socket,
      String healthPort,
      String metricsPort,
      String enableMetric,
      String configPath) {
    this(
        kubeconfig,
        nodeName,
        podName,
        podNamespace,
        socket,
        healthPort,
        metricsPort,
        enableMetric,
        configPath,
        null,
        null);
  }
}
