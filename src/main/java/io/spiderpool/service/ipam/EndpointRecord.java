// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Pod holds, as its SpiderEndpoint records it: the current owner (UID, node), one entry per
 * NIC, and the top controller. {@code stateful} endpoints (StatefulSet members) carry no owner
 * reference, so they outlive the Pod and a re-created Pod of the same name gets the same addresses
 * back.
 */
public record EndpointRecord(
    String namespace,
    String name,
    String uid,
    String node,
    String ownerKind,
    String ownerName,
    List<Nic> nics,
    boolean stateful,
    String resourceVersion) {

  public EndpointRecord {
    nics = List.copyOf(nics);
  }

  /** One NIC: addresses with prefix ({@code 10.0.0.5/24}), pools, gateways, extra routes. */
  public record Nic(
      String nic,
      String ipv4,
      String ipv4Pool,
      String ipv4Gateway,
      String ipv6,
      String ipv6Pool,
      String ipv6Gateway,
      boolean cleanGateway,
      List<AddResult.RouteConfig> routes) {
    public Nic {
      routes = List.copyOf(routes);
    }

    /** A copy under another interface name (unnamed multi-NIC mode fills names late). */
    public Nic named(String newName) {
      return new Nic(
          newName,
          ipv4,
          ipv4Pool,
          ipv4Gateway,
          ipv6,
          ipv6Pool,
          ipv6Gateway,
          cleanGateway,
          routes.stream().map(r -> new AddResult.RouteConfig(newName, r.dst(), r.gw())).toList());
    }
  }

  /** The entry for {@code nic}, or else the first entry with an empty name (unnamed mode). */
  public Nic entryFor(String nic) {
    for (Nic n : nics) {
      if (n.nic().equals(nic)) {
        return n;
      }
    }
    for (Nic n : nics) {
      if (n.nic().isEmpty()) {
        return n;
      }
    }
    return null;
  }

  /** A copy owned by another Pod incarnation. */
  public EndpointRecord ownedBy(String newUid, String newNode) {
    return new EndpointRecord(
        namespace, name, newUid, newNode, ownerKind, ownerName, nics, stateful, resourceVersion);
  }

  /** A copy in which the first empty-named entry is called {@code nic}. */
  public EndpointRecord claimUnnamed(String nic) {
    List<Nic> out = new ArrayList<>(nics);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).nic().isEmpty()) {
        out.set(i, out.get(i).named(nic));
        break;
      }
    }
    return new EndpointRecord(
        namespace, name, uid, node, ownerKind, ownerName, out, stateful, resourceVersion);
  }
}
