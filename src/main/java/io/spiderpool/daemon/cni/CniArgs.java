// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.wire.CniSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code CNI_ARGS} keys Spiderpool reads ({@code K8sArgs}), parsed like libcni's {@code
 * LoadArgs}: {@code K=V} pairs separated by {@code ;}, unknown keys refused unless {@code
 * IgnoreUnknown} is true (every Kubernetes runtime sets it). Values may be empty: some runtimes
 * leave {@code K8S_POD_UID} blank.
 */
record CniArgs(String podName, String podNamespace, String podUid, String infraContainerId) {

  private static final Set<String> KNOWN =
      Set.of(
          "IgnoreUnknown",
          "K8S_POD_NAME",
          "K8S_POD_NAMESPACE",
          "K8S_POD_UID",
          "K8S_POD_INFRA_CONTAINER_ID",
          "IP");

  static CniArgs parse(String args) {
    String name = "";
    String namespace = "";
    String uid = "";
    String infra = "";
    boolean ignoreUnknown = false;
    List<String> unknown = new ArrayList<>();
    for (String pair : args == null || args.isEmpty() ? new String[0] : args.split(";")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw invalid(
            "ARGS: invalid pair \"" + pair + "\"", "write KEY=VALUE pairs separated by ;");
      }
      String key = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      switch (key) {
        case "K8S_POD_NAME" -> name = value;
        case "K8S_POD_NAMESPACE" -> namespace = value;
        case "K8S_POD_UID" -> uid = value;
        case "K8S_POD_INFRA_CONTAINER_ID" -> infra = value;
        case "IgnoreUnknown" -> ignoreUnknown = bool(value);
        default -> {
          if (!KNOWN.contains(key)) {
            unknown.add(key);
          }
        }
      }
    }
    if (!unknown.isEmpty() && !ignoreUnknown) {
      throw invalid(
          "ARGS: unknown args " + unknown, "add IgnoreUnknown=1 to CNI_ARGS to ignore them");
    }
    return new CniArgs(name, namespace, uid, infra);
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default ->
          throw invalid(
              "ARGS: IgnoreUnknown=" + v + " is not a boolean", "use 1, 0, true or false");
    };
  }

  private static CniError invalid(String msg, String details) {
    return new CniError(CniSpec.INVALID_ENVIRONMENT, msg, details);
  }
}
