// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Applies Spiderpool's {@code SPIDERPOOL_LOG_LEVEL} names to this application's loggers. */
final class LogLevels {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger APP = Logger.getLogger("io.spiderpool");

  private LogLevels() {}

  /** debug, info, warn, error, fatal or panic (already validated). */
  static void apply(String spiderpoolLevel) {
    APP.setLevel(
        switch (spiderpoolLevel) {
          case "debug" -> Level.FINE;
          case "info" -> Level.INFO;
          case "warn" -> Level.WARNING;
          default -> Level.SEVERE;
        });
  }
}
