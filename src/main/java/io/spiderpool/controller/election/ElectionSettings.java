// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.election;

import static io.spiderpool.core.settings.SettingsReader.variable;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.pool.LabelSelector;
import io.spiderpool.core.pool.SelectorText;
import io.spiderpool.core.settings.SettingsReader;
import java.time.Duration;
import java.util.Map;

/**
 * How this process takes part in the election for the controller role: Spiderpool's Lease ({@code
 * spiderpool-controller-leases}, identity = the Pod name) and its timings, plus which daemons
 * campaign at all.
 *
 * @param enabled whether this process campaigns ({@code SPIDERPOOL_CONTROLLER_ROLE_ENABLED}; false
 *     in the daemons of clusters that run {@code spiderpool controller} on its own)
 * @param leaseName Lease name ({@code SPIDERPOOL_LEADER_LEASE_NAME})
 * @param leaseNamespace the Lease's namespace: the daemon's own
 * @param identity holder identity: the Pod name from the downward API
 * @param leaseDuration how long a silent holder is still believed ({@code
 *     SPIDERPOOL_LEADER_DURATION})
 * @param renewDeadline a holder that could not renew for this long stops its work ({@code
 *     SPIDERPOOL_LEADER_RENEW_DEADLINE})
 * @param retryPeriod time between two acquire/renew attempts ({@code
 *     SPIDERPOOL_LEADER_RETRY_PERIOD})
 * @param retryGap pause after losing the role before campaigning again ({@code
 *     SPIDERPOOL_LEADER_RETRY_GAP})
 * @param nodeSelector daemons on matching nodes campaign ({@code
 *     SPIDERPOOL_CONTROLLER_NODE_SELECTOR}); when no node matches, every daemon does
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
      throw new InvalidInputException(
          ENV_DURATION
              + " ("
              + leaseDuration.toMillis()
              + " ms) must be longer than "
              + ENV_RENEW_DEADLINE
              + " ("
              + renewDeadline.toMillis()
              + " ms), so a holder that stops renewing"
              + " has stopped its work before another can take over (Spiderpool's defaults: 15s and 10s)");
    }
    if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
      throw new InvalidInputException(
          ENV_RENEW_DEADLINE
              + " ("
              + renewDeadline.toMillis()
              + " ms) must be longer than 1.2 × "
              + ENV_RETRY_PERIOD
              + " ("
              + retryPeriod.toMillis()
              + " ms), or one late renewal loses the role (Spiderpool's defaults: 10s and 2s)");
    }
  }

  /**
   * Resolves the settings from the environment; {@code identity} and {@code namespace} come from
   * the daemon's own settings. Every bad value is reported in one error.
   */
  public static ElectionSettings resolve(
      Map<String, String> env, String identity, String namespace) {
    return SettingsReader.resolve(env, r -> read(r, identity, namespace));
  }

  /**
   * Reads the settings into {@code r}, which collects the problems; null when a value is bad or the
   * timings contradict each other, which {@code r}'s check then reports.
   */
  public static ElectionSettings read(SettingsReader r, String identity, String namespace) {
    boolean enabled = r.bool(variable(ENV_ENABLED), true);
    Duration lease = r.positiveDuration(variable(ENV_DURATION), Duration.ofSeconds(15));
    Duration renew = r.positiveDuration(variable(ENV_RENEW_DEADLINE), Duration.ofSeconds(10));
    Duration retry = r.positiveDuration(variable(ENV_RETRY_PERIOD), Duration.ofSeconds(2));
    Duration gap = r.positiveDuration(variable(ENV_RETRY_GAP), Duration.ofSeconds(1));
    LabelSelector selector =
        r.parsed(
            variable(ENV_NODE_SELECTOR),
            "a label selector such as " + DEFAULT_NODE_SELECTOR,
            SelectorText::parse,
            SelectorText.parse(DEFAULT_NODE_SELECTOR, ENV_NODE_SELECTOR));
    String leaseName = r.text(variable(ENV_LEASE_NAME), "a Lease name", DEFAULT_LEASE_NAME);
    return r.build(
        () ->
            new ElectionSettings(
                enabled, leaseName, namespace, identity, lease, renew, retry, gap, selector));
  }

  /**
   * The same settings with every daemon campaigning (the stand-alone {@code controller} command).
   */
  public ElectionSettings everyNode() {
    return new ElectionSettings(
        enabled,
        leaseName,
        leaseNamespace,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        retryGap,
        LabelSelector.EVERYTHING);
  }
}
