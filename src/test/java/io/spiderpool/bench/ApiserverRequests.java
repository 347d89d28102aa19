// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own request counter ({@code apiserver_request_total} on {@code /metrics}),
 * summed by verb, resource, subresource and code: read before and after a phase, the difference
 * says what a benchmark made the server do, request by request.
 */
final class ApiserverRequests {
  private static final Pattern LINE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiserverRequests() {}

  /** Counter values now, keyed {@code VERB resource[/subresource] code}. */
  static Map<String, Double> snapshot(KubernetesClient client) {
    Map<String, Double> out = new TreeMap<>();
    String text = client.raw("/metrics");
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String sub = labels.getOrDefault("subresource", "");
      String key =
          labels.get("verb")
              + " "
              + labels.get("resource")
              + (sub.isEmpty() ? "" : "/" + sub)
              + " "
              + labels.get("code");
      out.merge(key, Double.parseDouble(m.group(2)), Double::sum);
    }
    return out;
  }

  /** Prints what changed between two snapshots, per allocation. */
  static void print(Map<String, Double> before, Map<String, Double> after, int allocations) {
    System.out.printf("  API server requests during the measurement (apiserver_request_total):%n");
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d >= 1) {
            System.out.printf("    %-52s %8.0f  %6.3f per allocation%n", k, d, d / allocations);
          }
        });
  }
}
