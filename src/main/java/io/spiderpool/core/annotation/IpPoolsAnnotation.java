// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed {@code ipam.spidernet.io/ippools} annotation: pools per NIC, allocated for all NICs in
 * the first ADD.
 *
 * <p>Named mode: every item has {@code interface}. Unnamed mode: no item has it, and item <i>i</i>
 * belongs to the <i>i</i>-th Spiderpool NIC; its {@link NicPools#nic()} is then {@code "i"} as in
 * Spiderpool. Mixing the two, duplicates and an empty array are refused.
 *
 * @param named whether the items carry interface names
 * @param items in the order written
 */
public record IpPoolsAnnotation(boolean named, List<NicPools> items) {
  static final String EXAMPLE =
      "[{\"interface\":\"eth0\",\"ipv4\":[\"v4-pool\"]},"
          + "{\"interface\":\"net1\",\"ipv4\":[\"v4-pool-2\"],\"cleangateway\":true}]";

  public IpPoolsAnnotation {
    items = List.copyOf(items);
  }

  /**
   * Parses the value.
   *
   * @throws InvalidInputException naming the annotation, the problem and a valid example
   */
  public static IpPoolsAnnotation parse(String value) {
    String key = IpamAnnotations.POD_IPPOOLS;
    Object tree = AnnotationErrors.json(Owner.POD, key, value, EXAMPLE);
    try {
      return fromTree(tree);
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.POD, key, e, EXAMPLE);
    }
  }

  private static IpPoolsAnnotation fromTree(Object tree) {
    List<Object> array = tree == null ? List.of() : JsonValues.asArray(tree, "the value");
    if (array.isEmpty()) {
      throw new InvalidInputException("value requires at least one item");
    }
    IpamAnnotations.checkNicCount(array.size());
    List<NicPools> items = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean named = false;
    for (int i = 0; i < array.size(); i++) {
      String at = "[" + i + "]";
      Map<String, Object> obj = JsonValues.asObject(array.get(i), at);
      Object rawNic = JsonValues.field(obj, "interface");
      String nic = rawNic == null ? "" : JsonValues.asString(rawNic, at + ".interface");
      if (i == 0) {
        named = !nic.isEmpty();
      } else if (named == nic.isEmpty()) {
        throw new InvalidInputException("interface must be set on all items or on none");
      }
      String name = named ? nic : String.valueOf(i);
      if (!seen.add(name)) {
        throw new InvalidInputException("duplicate interface " + name + ": list each NIC once");
      }
      Object rawClean = JsonValues.field(obj, "cleangateway");
      boolean clean = rawClean != null && JsonValues.asBoolean(rawClean, at + ".cleangateway");
      items.add(new NicPools(name, PoolNames.fromObject(obj, at + "."), clean));
    }
    return new IpPoolsAnnotation(named, items);
  }

  /** The item for {@code nic}, if any. */
  public Optional<NicPools> forNic(String nic) {
    return items.stream().filter(i -> i.nic().equals(nic)).findFirst();
  }

  /**
   * In named mode the NIC being set up must have an item (Spiderpool: "interface X must be
   * specified"); unnamed mode maps items to NICs by position, so any NIC is fine.
   */
  public void requireNic(String nic) {
    if (named && forNic(nic).isEmpty()) {
      throw AnnotationErrors.invalid(
          Owner.POD,
          IpamAnnotations.POD_IPPOOLS,
          "interface " + nic + " must be specified: no item names the NIC being set up",
          EXAMPLE);
    }
  }
}
