// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.error.InvalidInputException;
import java.util.regex.Pattern;

/** Kubernetes label key and value syntax (apimachinery IsQualifiedName / IsValidLabelValue). */
final class LabelSyntax {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int NAME_MAX = 63;
  private static final int PREFIX_MAX = 253;

  private LabelSyntax() {}

  static void checkKey(String key) {
    if (key == null || !isQualifiedName(key)) {
      throw new InvalidInputException(
          "invalid label key "
              + quote(key)
              + ": write an optional"
              + " DNS subdomain prefix and '/', then a name of at most 63 characters (alphanumerics,"
              + " '-', '_' or '.', starting and ending with an alphanumeric), e.g."
              + " app.kubernetes.io/name");
    }
  }

  static void checkValue(String key, String value) {
    if (value == null || !(value.isEmpty() || isName(value))) {
      throw new InvalidInputException(
          "invalid label value "
              + quote(value)
              + " for key "
              + quote(key)
              + ": write at most 63 characters (alphanumerics, '-', '_' or '.',"
              + " starting and ending with an alphanumeric), or an empty value");
    }
  }

  private static boolean isQualifiedName(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return isName(key);
    }
    String prefix = key.substring(0, slash);
    String name = key.substring(slash + 1);
    return !prefix.isEmpty()
        && prefix.length() <= PREFIX_MAX
        && DNS_SUBDOMAIN.matcher(prefix).matches()
        && isName(name);
  }

  private static boolean isName(String s) {
    return !s.isEmpty() && s.length() <= NAME_MAX && NAME.matcher(s).matches();
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
