// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;

/** Parser of {@code ipam.spidernet.io/ippool}: {@code {"ipv4":["p1","p2"],"ipv6":["p6"]}}. */
public final class IpPoolAnnotation {
  static final String EXAMPLE = "{\"ipv4\":[\"v4-pool\"],\"ipv6\":[\"v6-pool\"]}";

  private IpPoolAnnotation() {}

  /**
   * Parses the value. Either family may be omitted; unknown members are ignored and JSON null is
   * "no pools", as Go's decoder treats them.
   *
   * @throws InvalidInputException naming the annotation, the problem and a valid example
   */
  public static PoolNames parse(String value) {
    String key = IpamAnnotations.POD_IPPOOL;
    Object tree = AnnotationErrors.json(Owner.POD, key, value, EXAMPLE);
    if (tree == null) {
      return PoolNames.NONE;
    }
    try {
      return PoolNames.fromObject(JsonValues.asObject(tree, "the value"), "");
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.POD, key, e, EXAMPLE);
    }
  }
}
