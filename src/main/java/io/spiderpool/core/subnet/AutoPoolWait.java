// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.settings.SettingsReader;
import java.time.Duration;
import java.util.Map;

/**
 * How long an ADD waits for its application's auto-pool to exist and have room, from Spiderpool's
 * agent variables. Spiderpool polls {@code SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES} times every
 * {@code SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND} seconds; here the ADD waits on the node's
 * watch cache and goes on as soon as the pool is ready, so the two only bound the wait: at most
 * {@link #budget()} = interval × retries (default 2 s × 25 = 50 s, inside the plugin's 100 s). The
 * cache is also looked at every interval in case a wake-up was missed.
 *
 * @param interval {@code SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND}
 * @param retries {@code SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES}
 */
public record AutoPoolWait(Duration interval, int retries) {
  public static final String ENV_INTERVAL = "SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND";
  public static final String ENV_RETRIES = "SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES";

  /** Spiderpool's defaults. */
  public static final AutoPoolWait DEFAULTS = new AutoPoolWait(Duration.ofSeconds(2), 25);

  public AutoPoolWait {
    if (interval.isNegative() || retries < 0) {
      throw new IllegalArgumentException("the auto-pool wait must not be negative");
    }
  }

  /** The longest an ADD waits for its auto-pool. */
  public Duration budget() {
    return interval.multipliedBy(retries);
  }

  /** Reads the two variables: blank or absent ones take Spiderpool's default. */
  public static AutoPoolWait read(SettingsReader r) {
    int seconds =
        r.wholeNumber(
            SettingsReader.variable(ENV_INTERVAL), 0, (int) DEFAULTS.interval().toSeconds());
    int retries = r.wholeNumber(SettingsReader.variable(ENV_RETRIES), 0, DEFAULTS.retries());
    return new AutoPoolWait(Duration.ofSeconds(seconds), retries);
  }

  /**
   * {@link #read} on its own: every bad value in one {@link
   * io.spiderpool.core.error.InvalidInputException}.
   */
  public static AutoPoolWait resolve(Map<String, String> env) {
    return SettingsReader.resolve(env, AutoPoolWait::read);
  }
}
