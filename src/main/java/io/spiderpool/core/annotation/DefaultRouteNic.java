// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

import io.spiderpool.core.annotation.AnnotationErrors.Owner;
import io.spiderpool.core.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Parser of {@code ipam.spidernet.io/default-route-nic}: a plain interface name (not JSON) that
 * overrides the coordinator's {@code podDefaultRouteNIC}. Checked against the kernel's rules for
 * interface names so a typo fails at ADD, not as a missing route later.
 */
public final class DefaultRouteNic {
  private static final int IFNAMSIZ = 16;

  private DefaultRouteNic() {}

  /** The Pod's default-route NIC, if annotated. */
  public static Optional<String> fromPod(Map<String, String> podAnnotations) {
    String value = podAnnotations.get(IpamAnnotations.POD_DEFAULT_ROUTE_NIC);
    return value == null ? Optional.empty() : Optional.of(parse(value));
  }

  /** Validates an interface name: 1-15 bytes, not "." or "..", no '/', ':' or whitespace. */
  public static String parse(String value) {
    String problem = null;
    if (value.isEmpty()) {
      problem = "the interface name is empty";
    } else if (value.getBytes(StandardCharsets.UTF_8).length >= IFNAMSIZ) {
      problem = "'" + value + "' is longer than 15 bytes";
    } else if (value.equals(".") || value.equals("..")) {
      problem = "'" + value + "' is not an interface name";
    } else if (value.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      problem = "'" + value + "' contains '/', ':' or whitespace";
    }
    if (problem != null) {
      throw invalid(problem);
    }
    return value;
  }

  private static InvalidInputException invalid(String what) {
    return AnnotationErrors.invalid(Owner.POD, IpamAnnotations.POD_DEFAULT_ROUTE_NIC, what, "net1");
  }
}
