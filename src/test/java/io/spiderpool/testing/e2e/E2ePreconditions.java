// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What the E2E tier needs from the machine. Missing pieces are a failure that says how to get them,
 * never a skip: a green run must mean the tier ran.
 */
public final class E2ePreconditions {
  private E2ePreconditions() {}

  /** Fails unless running as root with {@code ip} and Debian's bridge, macvlan and host-local. */
  public static void require() {
    List<String> missing = new ArrayList<>();
    String uid = Command.run("id", "-u").stdout().trim();
    if (!uid.equals("0")) {
      missing.add("root (network namespaces and links need CAP_NET_ADMIN; uid is " + uid + ")");
    }
    if (!Command.run("ip", "-V").ok()) {
      missing.add("the ip command (apt-get install iproute2)");
    }
    for (String p : List.of("bridge", "macvlan", "host-local")) {
      if (!Files.isExecutable(CniRuntime.DEBIAN_PLUGINS.resolve(p))) {
        missing.add(
            CniRuntime.DEBIAN_PLUGINS.resolve(p)
                + " (apt-get install containernetworking-plugins)");
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "the E2E tier cannot run here; missing: "
              + String.join("; ", missing)
              + ". Run hack/setup.sh as root, then the tests as root.");
    }
  }
}
