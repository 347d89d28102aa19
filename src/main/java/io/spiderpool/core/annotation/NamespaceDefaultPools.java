// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * Parser of the namespace defaults {@code ipam.spidernet.io/default-ipv4-ippool} and {@code
 * default-ipv6-ippool}, each a JSON array of pool names. As in Spiderpool, an invalid value fails
 * every allocation in the namespace, so the message must say how to fix it.
 */
public final class NamespaceDefaultPools {
  private NamespaceDefaultPools() {}

  /** Both families from a namespace's annotations; absent keys give empty lists. */
  public static PoolNames parse(Map<String, String> namespaceAnnotations) {
    Map<String, String> a = namespaceAnnotations == null ? Map.of() : namespaceAnnotations;
    return new PoolNames(
        list(
            IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL,
            a.get(IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL),
            "[\"ns-v4-pool1\",\"ns-v4-pool2\"]"),
        list(
            IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL,
            a.get(IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL),
            "[\"ns-v6-pool1\"]"));
  }

  private static List<String> list(String key, String value, String example) {
    if (value == null) {
      return List.of();
    }
    Object tree = AnnotationErrors.json(Owner.NAMESPACE, key, value, example);
    try {
      return PoolNames.names(tree, "the value");
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.NAMESPACE, key, e, example);
    }
  }
}
