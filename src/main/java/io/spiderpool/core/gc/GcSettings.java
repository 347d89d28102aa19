// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

import io.spiderpool.core.config.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The IP GC switches of Spiderpool's controller ({@code SPIDERPOOL_GC_*}, reference §5.5) that
 * mean something here. The tracing-queue knobs ({@code _TRACE_POD_GAP_DURATION},
 * {@code _CHANNEL_BUFFER}, {@code _MAX_PODENTRY_DB_CAP}, {@code _SIGNAL_TIMEOUT_DURATION},
 * {@code _HTTP_REQUEST_TIME_GAP}) size an in-memory queue this implementation does not have
 * (deadlines are reconcile reschedules), so they are not read: see {@link #IGNORED}.
 *
 * @param enabled {@code SPIDERPOOL_GC_IP_ENABLED}: when false records are never released (status
 *     counters and finalizers are still kept)
 * @param terminatingOnReadyNode {@code SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED}
 * @param terminatingOnNotReadyNode {@code SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED}
 * @param runningPodOnEmptyPodIps {@code SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS}
 * @param additionalGraceDelay {@code SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY}, added to every grace period
 * @param fullScanInterval {@code SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION}: every pool is re-evaluated
 *     at least this often
 * @param workers {@code SPIDERPOOL_GC_IP_WORKER_NUM}: pools reconciled at once
 * @param maxRetries {@code SPIDERPOOL_GC_PODENTRY_MAX_RETRIES}: retries of a failed pool reconcile
 */
public record GcSettings(boolean enabled, boolean terminatingOnReadyNode, boolean terminatingOnNotReadyNode,
    boolean runningPodOnEmptyPodIps, Duration additionalGraceDelay, Duration fullScanInterval, int workers,
    int maxRetries) {

  /** Spiderpool's defaults. */
  public static final GcSettings DEFAULTS =
      new GcSettings(true, true, true, false, Duration.ZERO, Duration.ofSeconds(600), 3, 5);

  /** Spiderpool's knobs that size its tracing queue; accepted in the environment, not read. */
  public static final List<String> IGNORED = List.of("SPIDERPOOL_GC_TRACE_POD_GAP_DURATION",
      "SPIDERPOOL_GC_CHANNEL_BUFFER", "SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP", "SPIDERPOOL_GC_SIGNAL_TIMEOUT_DURATION",
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
   * Reads the switches from an environment; blank or absent variables take the default. Every
   * bad value is reported in one {@link IllegalArgumentException} naming the variable, the value
   * and the accepted forms.
   */
  public static GcSettings resolve(Map<String, String> env) {
    Reader r = new Reader(env);
    GcSettings d = DEFAULTS;
    boolean enabled = r.bool("SPIDERPOOL_GC_IP_ENABLED", d.enabled());
    boolean ready = r.bool("SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED", d.terminatingOnReadyNode());
    boolean notReady = r.bool("SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED",
        d.terminatingOnNotReadyNode());
    boolean running = r.bool("SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS",
        d.runningPodOnEmptyPodIps());
    Duration delay = r.duration("SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY", d.additionalGraceDelay(), true);
    Duration interval = r.duration("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", d.fullScanInterval(), false);
    int workers = r.integer("SPIDERPOOL_GC_IP_WORKER_NUM", d.workers(), 1);
    int retries = r.integer("SPIDERPOOL_GC_PODENTRY_MAX_RETRIES", d.maxRetries(), 0);
    if (!r.errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", r.errors));
    }
    return new GcSettings(enabled, ready, notReady, running, delay, interval, workers, retries);
  }

  private static final class Reader {
    final Map<String, String> env;
    final List<String> errors = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    private String raw(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    /** Go's strconv.ParseBool forms, as Spiderpool reads its switches. */
    boolean bool(String name, boolean def) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      switch (v) {
        case "1", "t", "T", "true", "TRUE", "True":
          return true;
        case "0", "f", "F", "false", "FALSE", "False":
          return false;
        default:
          errors.add(name + "=" + v + " is not a boolean: use true or false (also 1/0, t/f)");
          return def;
      }
    }

    int integer(String name, int def, int min) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      errors.add(name + "=" + v + " is not a whole number >= " + min);
      return def;
    }

    Duration duration(String name, Duration def, boolean zeroAllowed) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      try {
        Duration d = GoDuration.parse(v);
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
          errors.add(name + "=" + v + " must be " + (zeroAllowed ? "zero or positive" : "positive"));
          return def;
        }
        return d;
      } catch (IllegalArgumentException e) {
        errors.add(name + "=" + v + " is not a duration: " + e.getMessage().toLowerCase(Locale.ROOT));
        return def;
      }
    }
  }
}
