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
 * The parsed SpiderSubnet annotation of a Pod: {@code ipam.spidernet.io/subnets} (several NICs) or,
 * when that is absent, {@code ipam.spidernet.io/subnet} (one NIC, {@code interface} defaults to
 * eth0). Names are not wildcards; only the first name per family counts; an empty first name and an
 * item with no family are refused.
 *
 * @param multiple true when read from {@code subnets}
 */
public record SubnetAnnotation(boolean multiple, List<SubnetItem> items) {
  static final String SINGLE_EXAMPLE =
      "{\"interface\":\"eth0\",\"ipv4\":[\"subnet-v4\"],\"ipv6\":[\"subnet-v6\"]}";
  static final String MULTI_EXAMPLE =
      "[{\"interface\":\"eth0\",\"ipv4\":[\"subnet-a\"]},"
          + "{\"interface\":\"net1\",\"ipv4\":[\"subnet-b\"]}]";

  public SubnetAnnotation {
    items = List.copyOf(items);
  }

  /** The Pod's subnet annotation, if it has one ({@code subnets} wins over {@code subnet}). */
  public static Optional<SubnetAnnotation> fromPod(Map<String, String> podAnnotations) {
    String multi = podAnnotations.get(IpamAnnotations.POD_SUBNETS);
    if (multi != null) {
      return Optional.of(new SubnetAnnotation(true, parseSubnets(multi)));
    }
    String single = podAnnotations.get(IpamAnnotations.POD_SUBNET);
    return single == null
        ? Optional.empty()
        : Optional.of(new SubnetAnnotation(false, List.of(parseSubnet(single))));
  }

  /** The item that applies to {@code nic}: the only one, or the one naming it. */
  public Optional<SubnetItem> forNic(String nic) {
    return multiple
        ? items.stream().filter(i -> i.nic().equals(nic)).findFirst()
        : Optional.of(items.get(0));
  }

  /** Parses {@code ipam.spidernet.io/subnet}. */
  public static SubnetItem parseSubnet(String value) {
    String key = IpamAnnotations.POD_SUBNET;
    Object tree = AnnotationErrors.json(Owner.POD, key, value, SINGLE_EXAMPLE);
    try {
      SubnetItem item = item(JsonValues.asObject(tree, "the value"), "");
      return item.nic().isEmpty()
          ? new SubnetItem("eth0", item.ipv4Subnet(), item.ipv6Subnet())
          : item;
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.POD, key, e, SINGLE_EXAMPLE);
    }
  }

  /** Parses {@code ipam.spidernet.io/subnets}. */
  public static List<SubnetItem> parseSubnets(String value) {
    String key = IpamAnnotations.POD_SUBNETS;
    Object tree = AnnotationErrors.json(Owner.POD, key, value, MULTI_EXAMPLE);
    try {
      List<Object> array = tree == null ? List.of() : JsonValues.asArray(tree, "the value");
      if (array.isEmpty()) {
        throw new InvalidInputException("value requires at least one item");
      }
      IpamAnnotations.checkNicCount(array.size());
      List<SubnetItem> items = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        String at = "[" + i + "]";
        items.add(item(JsonValues.asObject(array.get(i), at), at + "."));
      }
      checkUnique(items);
      return List.copyOf(items);
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.POD, key, e, MULTI_EXAMPLE);
    }
  }

  private static SubnetItem item(Map<String, Object> obj, String at) {
    Object rawNic = JsonValues.field(obj, "interface");
    String nic = rawNic == null ? "" : JsonValues.asString(rawNic, at + "interface");
    String v4 = first(JsonValues.field(obj, "ipv4"), at + "ipv4");
    String v6 = first(JsonValues.field(obj, "ipv6"), at + "ipv6");
    if (v4 == null && v6 == null) {
      String where = at.isEmpty() ? "" : at.substring(0, at.length() - 1) + " ";
      throw new InvalidInputException(where + "names no SpiderSubnet: set ipv4, ipv6 or both");
    }
    return new SubnetItem(nic, v4, v6);
  }

  private static String first(Object value, String path) {
    List<String> names = JsonValues.asStringList(value, path);
    if (names.isEmpty()) {
      return null;
    }
    if (names.get(0).isEmpty()) {
      throw new InvalidInputException(path + "[0] is an empty SpiderSubnet name");
    }
    return names.get(0);
  }

  private static void checkUnique(List<SubnetItem> items) {
    Set<String> v4 = new HashSet<>();
    Set<String> v6 = new HashSet<>();
    Set<String> nics = new HashSet<>();
    for (SubnetItem item : items) {
      claim(v4, item.ipv4Subnet());
      claim(v6, item.ipv6Subnet());
    }
    for (SubnetItem item : items) {
      if (!nics.add(item.nic())) {
        throw new InvalidInputException(
            "duplicate interface " + item.nic() + ": list each NIC once");
      }
    }
  }

  private static void claim(Set<String> seen, String subnet) {
    if (subnet != null && !seen.add(subnet)) {
      throw new InvalidInputException(
          "SpiderSubnet " + subnet + " is named for two interfaces: give each NIC its own subnet");
    }
  }
}
