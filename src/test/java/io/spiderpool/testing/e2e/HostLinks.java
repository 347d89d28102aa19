// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.util.List;

/**
 * Links in the root namespace that the main plugins need: a veth pair whose first end is the
 * macvlan {@code master}, and the name of the bridge the bridge plugin creates. The kernel here has
 * no dummy link type, hence the veth.
 *
 * <p>Nothing on these links has an address and IPv6 is switched off on them, so the root namespace
 * gains no route: frames from the Pods reach the peer end or the bridge and stop there. {@link
 * #close()} deletes the links by their exact names.
 */
public final class HostLinks implements AutoCloseable {
  /** macvlan master. */
  public static final String MASTER = "spe2e0";

  /** The veth peer of {@link #MASTER}; only there so that the master has carrier. */
  public static final String PEER = "spe2e1";

  /** Bridge for the bridge plugin; created here so that it too has IPv6 off. */
  public static final String BRIDGE = "spe2ebr0";

  private HostLinks() {}

  /** Creates the veth pair and the bridge (replacing leftovers of a crashed run), all up. */
  public static HostLinks create() {
    deleteLinks();
    Command.run("ip", "link", "add", MASTER, "type", "veth", "peer", "name", PEER).orThrow();
    Command.run("ip", "link", "add", BRIDGE, "type", "bridge").orThrow();
    for (String l : List.of(MASTER, PEER, BRIDGE)) {
      Command.run("sysctl", "-q", "-w", "net.ipv6.conf." + l + ".disable_ipv6=1").orThrow();
      Command.run("ip", "link", "set", l, "up").orThrow();
    }
    return new HostLinks();
  }

  /** Whether {@code name} exists in the root namespace. */
  public static boolean exists(String name) {
    return Command.run("ip", "link", "show", "dev", name).ok();
  }

  private static void deleteLinks() {
    // deleting one end of a veth deletes both; the bridge goes by its own name
    for (String l : List.of(MASTER, BRIDGE)) {
      if (exists(l)) {
        Command.run("ip", "link", "del", "dev", l).orThrow();
      }
    }
  }

  @Override
  public void close() {
    deleteLinks();
  }
}
