// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import static io.spiderpool.core.settings.SettingsReader.variable;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The IP GC switches of Spiderpool's controller ({@code SPIDERPOOL_GC_*},
 * docs/spiderpool-compat.md#ip-gc-knobs) that mean something here. The tracing-queue knobs ({@code
 * _TRACE_POD_GAP_DURATION}, {@code _CHANNEL_BUFFER}, {@code _MAX_PODENTRY_DB_CAP}, {@code
 * _SIGNAL_TIMEOUT_DURATION}, {@code _HTTP_REQUEST_TIME_GAP}) size an in-memory queue this
 * implementation does not have (deadlines are reconcile reschedules), so they are not read: see
 * {@link #IGNORED}.
 *
 * @param enabled {@code SPIDERPOOL_GC_IP_ENABLED}: when false records are never released (status
 *     counters and finalizers are still kept)
 * @param terminatingOnReadyNode {@code
 *     SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED}
 * @param terminatingOnNotReadyNode {@code
 *     SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED}
 * @param runningPodOnEmptyPodIps {@code
 *     SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS}
 * @param additionalGraceDelay {@code SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY}, added to every grace
 *     period
 * @param fullScanInterval {@code SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION}: every pool is
 *     re-evaluated at least this often
 * @param workers {@code SPIDERPOOL_GC_IP_WORKER_NUM}: pools reconciled at once
 * @param maxRetries {@code SPIDERPOOL_GC_PODENTRY_MAX_RETRIES}: retries of a failed pool reconcile
 */
public record GcSettings(
    boolean enabled,
    boolean terminatingOnReadyNode,
    boolean terminatingOnNotReadyNode,
    boolean runningPodOnEmptyPodIps,
    Duration additionalGraceDelay,
    Duration fullScanInterval,
    int workers,
    int maxRetries) {

  /** Spiderpool's defaults. */
  public static final GcSettings DEFAULTS =
      new GcSettings(true, true, true, false, Duration.ZERO, Duration.ofSeconds(600), 3, 5);

  /** Spiderpool's knobs that size its tracing queue; accepted in the environment, not read. */
  public static final List<String> IGNORED =
      List.of(
          "SPIDERPOOL_GC_TRACE_POD_GAP_DURATION",
          "SPIDERPOOL_GC_CHANNEL_BUFFER",
          "SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP",
          "SPIDERPOOL_GC_SIGNAL_TIMEOUT_DURATION",
          "SPIDERPOOL_GC_HTTP_REQUEST_TIME_GAP");

  public GcSettings {
    if (additionalGraceDelay.isNegative()) {
      throw new IllegalArgumentException("additionalGraceDelay must not be negative");
    }
    if (fullScanInterval.isNegative() || fullScanInterval.isZero()) {
      throw new IllegalArgumentException("fullScanInterval must be positive");
    }
    if (workers < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("workers must be >= 1 and maxRetries >= 0");
    }
  }

  /**
   * Reads the switches from an environment; blank or absent variables take the default. Every bad
   * value is reported in one {@link InvalidInputException} naming the variable, the value and the
   * accepted forms.
   */
  public static GcSettings resolve(Map<String, String> env) {
    return SettingsReader.resolve(env, GcSettings::read);
  }

  /** Reads the switches into {@code r}, which collects the problems; good only after its check. */
  public static GcSettings read(SettingsReader r) {
    GcSettings d = DEFAULTS;
    return new GcSettings(
        r.bool(variable("SPIDERPOOL_GC_IP_ENABLED"), d.enabled()),
        r.bool(
            variable("SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED"),
            d.terminatingOnReadyNode()),
        r.bool(
            variable("SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED"),
            d.terminatingOnNotReadyNode()),
        r.bool(
            variable("SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS"),
            d.runningPodOnEmptyPodIps()),
        r.duration(variable("SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY"), d.additionalGraceDelay()),
        r.positiveDuration(
            variable("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION"), d.fullScanInterval()),
        r.wholeNumber(variable("SPIDERPOOL_GC_IP_WORKER_NUM"), 1, d.workers()),
        r.wholeNumber(variable("SPIDERPOOL_GC_PODENTRY_MAX_RETRIES"), 0, d.maxRetries()));
  }
}
