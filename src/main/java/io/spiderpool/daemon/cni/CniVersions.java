// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.BuildInfo;
import io.spiderpool.cni.CniProtocol;
import java.util.stream.Collectors;

/**
 * Spec version gates, as libcni's skel applies them: the config's version must be one the plugin
 * speaks, CHECK needs 0.4.0 or newer, GC and STATUS need 1.1.0 or newer.
 */
final class CniVersions {
  private CniVersions() {}

  /** Throws code 1 unless {@code version} is supported and allows {@code command}. */
  static void check(String version, String command) {
    int index = BuildInfo.CNI_VERSIONS.indexOf(version);
    if (index < 0) {
      throw new CniError(CniProtocol.INCOMPATIBLE_VERSION, "incompatible CNI versions",
          "config is \"" + version + "\", plugin supports " + BuildInfo.CNI_VERSIONS.stream()
              .map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]")));
    }
    String minimum = switch (command) {
      case "CHECK" -> "0.4.0";
      case "GC", "STATUS" -> "1.1.0";
      default -> "0.3.0";
    };
    if (index < BuildInfo.CNI_VERSIONS.indexOf(minimum)) {
      throw new CniError(CniProtocol.INCOMPATIBLE_VERSION, "config version does not allow " + command,
          "config is \"" + version + "\"; " + command + " needs cniVersion " + minimum + " or newer");
    }
  }

  /** Whether results of {@code version} carry {@code "version"} in each ips entry (before 1.0.0). */
  static boolean legacyIps(String version) {
    return version.startsWith("0.");
  }
}
