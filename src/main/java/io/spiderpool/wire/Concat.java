// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

/**
 * String building without {@code +}, for every class the plugin process loads (its own and this
 * package's): javac compiles {@code +} on strings to an {@code invokedynamic} whose first use
 * bootstraps {@code java.lang.invoke} (~15 ms, a third of a bare JVM start).
 */
public final class Concat {
  private Concat() {}

  public static String of(Object... parts) {
    StringBuilder sb = new StringBuilder(128);
    for (Object p : parts) {
      sb.append(p);
    }
    return sb.toString();
  }
}
