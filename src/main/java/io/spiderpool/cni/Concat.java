// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

/**
 * String building for the plugin process without {@code +}: javac compiles {@code +} on strings
 * to an {@code invokedynamic} whose first use bootstraps {@code java.lang.invoke} (~15 ms here,
 * a third of a bare JVM start), so the plugin's paths use this instead.
 */
final class Concat {
  private Concat() {}

  static String of(Object... parts) {
    StringBuilder sb = new StringBuilder(128);
    for (Object p : parts) {
      sb.append(p);
    }
    return sb.toString();
  }
}
