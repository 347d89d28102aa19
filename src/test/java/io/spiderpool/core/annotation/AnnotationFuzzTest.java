// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.testing.PropertyCheck;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Malformed annotation values are refused with InvalidInputException, never anything else. */
class AnnotationFuzzTest {
  static final List<Consumer<String>> PARSERS =
      List.of(
          IpPoolAnnotation::parse,
          IpPoolsAnnotation::parse,
          SubnetAnnotation::parseSubnet,
          SubnetAnnotation::parseSubnets,
          RoutesAnnotation::parse,
          IpNumber::parse,
          DefaultRouteNic::parse,
          v -> GoBool.reclaimIpPool(Map.of(IpamAnnotations.POD_IPPOOL_RECLAIM, v)),
          v -> NamespaceDefaultPools.parse(Map.of(IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL, v)));

  static final List<String> FRAGMENTS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "\"interface\"",
          "\"ipv4\"",
          "\"ipv6\"",
          "\"dst\"",
          "\"gw\"",
          "\"cleangateway\"",
          "\"eth0\"",
          "\"p\"",
          "\"\"",
          "\"10.0.0.0/8\"",
          "\"fd00::1\"",
          "\"10.0.0.1\"",
          "true",
          "null",
          "1",
          "+",
          "-",
          " ",
          "\"*\"");

  @Test
  void parsersFailOnlyWithInvalidInput() {
    PropertyCheck.forAll(
        random -> {
          String value = annotationish(random);
          for (Consumer<String> parser : PARSERS) {
            try {
              parser.accept(value);
            } catch (InvalidInputException expected) {
              // the only acceptable failure
            }
          }
        });
  }

  /** Strings built from JSON-ish fragments, so many are nearly valid annotation values. */
  static String annotationish(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(15); i > 0; i--) {
      s.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
    }
    return s.toString();
  }
}
