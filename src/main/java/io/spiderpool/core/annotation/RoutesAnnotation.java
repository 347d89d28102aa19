// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parser of {@code ipam.spidernet.io/routes}: {@code [{"dst":"10.0.0.0/16","gw":"192.168.1.1"}]}.
 */
public final class RoutesAnnotation {
  static final String EXAMPLE =
      "[{\"dst\":\"10.0.0.0/16\",\"gw\":\"192.168.1.1\"},"
          + "{\"dst\":\"fd00:10::/64\",\"gw\":\"fd00::1\"}]";

  private RoutesAnnotation() {}

  /**
   * Parses the value: each route needs {@code dst} (a CIDR) and {@code gw} (an address) of the same
   * family. JSON null or an empty array means no routes.
   *
   * @throws InvalidInputException naming the annotation, the route and a valid example
   */
  public static List<PodRoute> parse(String value) {
    String key = IpamAnnotations.POD_ROUTES;
    Object tree = AnnotationErrors.json(Owner.POD, key, value, EXAMPLE);
    try {
      List<Object> array = tree == null ? List.of() : JsonValues.asArray(tree, "the value");
      List<PodRoute> routes = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        routes.add(route(JsonValues.asObject(array.get(i), "[" + i + "]"), "[" + i + "]"));
      }
      return List.copyOf(routes);
    } catch (InvalidInputException e) {
      throw AnnotationErrors.wrap(Owner.POD, key, e, EXAMPLE);
    }
  }

  private static PodRoute route(Map<String, Object> obj, String at) {
    String dstText = JsonValues.asString(JsonValues.field(obj, "dst"), at + ".dst");
    String gwText = JsonValues.asString(JsonValues.field(obj, "gw"), at + ".gw");
    Cidr.Prefixed dst;
    IpAddress gw;
    try {
      dst = Cidr.parsePrefixed(dstText);
      gw = IpAddress.parse(gwText);
    } catch (InvalidInputException e) {
      throw e.in(at);
    }
    if (dst.address().family() != gw.family()) {
      throw new InvalidInputException(
          at
              + ": dst "
              + dstText
              + " is "
              + dst.address().family()
              + " but gw "
              + gwText
              + " is "
              + gw.family()
              + "; dst and gw must be the same family");
    }
    return new PodRoute(dst, gw);
  }
}
