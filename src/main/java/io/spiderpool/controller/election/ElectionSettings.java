// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.config.GoDuration;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.core.pool.SelectorText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How this process takes part in the election for the controller role: Spiderpool's Lease
 * ({@code spiderpool-controller-leases}, identity = the Pod name) and its timings, plus which
 * daemons campaign at all.
 *
 * @param enabled whether this process campaigns ({@code SPIDERPOOL_CONTROLLER_ROLE_ENABLED};
 *     false in the daemons of clusters that run {@code spiderpool controller} on its own)
 * @param leaseName Lease name ({@code SPIDERPOOL_LEADER_LEASE_NAME})
 * @param leaseNamespace the Lease's namespace: the daemon's own
 * @param identity holder identity: the Pod name from the downward API
 * @param leaseDuration how long a silent holder is still believed ({@code SPIDERPOOL_LEADER_DURATION})
 * @param renewDeadline a holder that could not renew for this long stops its work
 *     ({@code SPIDERPOOL_LEADER_RENEW_DEADLINE})
 * @param retryPeriod time between two acquire/renew attempts ({@code SPIDERPOOL_LEADER_RETRY_PERIOD})
 * @param retryGap pause after losing the role before campaigning again ({@code SPIDERPOOL_LEADER_RETRY_GAP})
 * @param nodeSelector daemons on matching nodes campaign ({@code SPIDERPOOL_CONTROLLER_NODE_SELECTOR});
 *     when no node matches, every daemon does
 */
public record ElectionSettings(
    boolean enabled,
    String leaseName,
    String leaseNamespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration retryGap,
    LabelSelector nodeSelector) {

  public static final String ENV_ENABLED = "SPIDERPOOL_CONTROLLER_ROLE_ENABLED";
  public static final String ENV_LEASE_NAME = "SPIDERPOOL_LEADER_LEASE_NAME";
  public static final String ENV_DURATION = "SPIDERPOOL_LEADER_DURATION";
  public static final String ENV_RENEW_DEADLINE = "SPIDERPOOL_LEADER_RENEW_DEADLINE";
  public static final String ENV_RETRY_PERIOD = "SPIDERPOOL_LEADER_RETRY_PERIOD";
  public static final String ENV_RETRY_GAP = "SPIDERPOOL_LEADER_RETRY_GAP";
  public static final String ENV_NODE_SELECTOR = "SPIDERPOOL_CONTROLLER_NODE_SELECTOR";
  public static final String DEFAULT_LEASE_NAME = "spiderpool-controller-leases";
  public static final String DEFAULT_NODE_SELECTOR = "node-role.kubernetes.io/control-plane";

  public ElectionSettings {
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new InvalidInputException(ENV_DURATION + " (" + leaseDuration.toMillis() + " ms) must be longer than "
          + ENV_RENEW_DEADLINE + " (" + renewDeadline.toMillis() + " ms), so a holder that stops renewing"
          + " has stopped its work before another can take over (Spiderpool's defaults: 15s and 10s)");
    }
    if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
      throw new InvalidInputException(ENV_RENEW_DEADLINE + " (" + renewDeadline.toMillis()
          + " ms) must be longer than 1.2 × " + ENV_RETRY_PERIOD + " (" + retryPeriod.toMillis()
          + " ms), or one late renewal loses the role (Spiderpool's defaults: 10s and 2s)");
    }
  }

  /**
   * Resolves the settings from the environment; {@code identity} and {@code namespace} come
   * from the daemon's own settings. Every bad value is reported in one error.
   */
  public static ElectionSettings resolve(Map<String, String> env, String identity, String namespace) {
    List<String> problems = new ArrayList<>();
    boolean enabled = true;
    String enabledText = text(env, ENV_ENABLED);
    if (enabledText != null) {
      Boolean b = GoBool.tryParse(enabledText);
      if (b == null) {
        problems.add(ENV_ENABLED + "=" + enabledText + " is not a boolean: write true or false");
      } else {
        enabled = b;
      }
    }
    Duration lease = duration(env, ENV_DURATION, Duration.ofSeconds(15), problems);
    Duration renew = duration(env, ENV_RENEW_DEADLINE, Duration.ofSeconds(10), problems);
    Duration retry = duration(env, ENV_RETRY_PERIOD, Duration.ofSeconds(2), problems);
    Duration gap = duration(env, ENV_RETRY_GAP, Duration.ofSeconds(1), problems);
    LabelSelector selector = LabelSelector.EVERYTHING;
    String selectorText = env.getOrDefault(ENV_NODE_SELECTOR, DEFAULT_NODE_SELECTOR);
    try {
      selector = SelectorText.parse(selectorText, ENV_NODE_SELECTOR);
    } catch (InvalidInputException e) {
      problems.add(e.getMessage());
    }
    String leaseName = text(env, ENV_LEASE_NAME);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    return new ElectionSettings(enabled, leaseName == null ? DEFAULT_LEASE_NAME : leaseName,
        namespace, identity, lease, renew, retry, gap, selector);
  }

  /** The same settings with every daemon campaigning (the stand-alone {@code controller} command). */
  public ElectionSettings everyNode() {
    return new ElectionSettings(enabled, leaseName, leaseNamespace, identity, leaseDuration,
        renewDeadline, retryPeriod, retryGap, LabelSelector.EVERYTHING);
  }

  private static String text(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Duration duration(Map<String, String> env, String name, Duration dflt, List<String> problems) {
    String v = text(env, name);
    if (v == null) {
      return dflt;
    }
    try {
      Duration d = GoDuration.parse(v, name);
      if (d.isZero()) {
        problems.add(name + "=" + v + " must be longer than zero");
      }
      return d;
    } catch (InvalidInputException e) {
      problems.add(e.getMessage());
      return dflt;
    }
  }
}
