// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code CNI_*} environment a runtime sets for a command, for plugin-side tests. */
final class RuntimeEnv {
  private RuntimeEnv() {}

  /** Every variable {@code command} may need; {@code extra} pairs are added or replace them. */
  static Map<String, String> of(String command, String... extra) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "c1");
    env.put("CNI_NETNS", "/var/run/netns/c1");
    env.put("CNI_IFNAME", "eth0");
    env.put("CNI_PATH", "/opt/cni/bin");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }
}
