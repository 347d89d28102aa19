// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing;

import java.util.Random;
import java.util.function.Consumer;

/**
 * A minimal property-based test runner: runs a check against many pseudo-random cases from a seeded
 * generator and, on failure, names the seed and case so the failure reproduces exactly ({@code
 * -Dspiderpool.seed=N}). No shrinking: cases are kept small instead.
 */
public final class PropertyCheck {
  /** Cases per property unless {@code -Dspiderpool.tries} says otherwise. */
  public static final int DEFAULT_TRIES = 1000;

  private PropertyCheck() {}

  /** Runs {@code check} {@link #DEFAULT_TRIES} times, each with its own seeded generator. */
  public static void forAll(Consumer<Random> check) {
    long base = Long.getLong("spiderpool.seed", System.nanoTime());
    int tries = Integer.getInteger("spiderpool.tries", DEFAULT_TRIES);
    for (int i = 0; i < tries; i++) {
      long seed = base + i;
      try {
        check.accept(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "property failed on case "
                + i
                + "; reproduce with -Dspiderpool.seed="
                + seed
                + " -Dspiderpool.tries=1: "
                + e.getMessage(),
            e);
      }
    }
  }
}
