// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.net.IpFamily;
import java.util.Locale;

/**
 * The name of an application's auto-created pool, as Spiderpool forms it: {@code auto<4|6>-<app
 * name>-<interface>-<first 5 characters of the last dash-separated part of the application's UID>},
 * lower-cased. The application name is cut so the whole fits a Kubernetes object name (253
 * characters).
 *
 * <p>One difference, on purpose: Spiderpool's cut leaves room for two dashes where there are three,
 * so for application names of 240-odd characters it forms a 254-character name that the API server
 * refuses; here the cut is one character longer and the name is accepted. Names that fit are
 * identical.
 */
public final class AutoPoolName {
  /** DNS-1123 subdomain, the limit of an object name. */
  static final int MAX_LENGTH = 253;

  /** Characters of the UID that end the name. */
  static final int UID_CHARS = 5;

  private AutoPoolName() {}

  public static String of(String appName, IpFamily family, String nic, String appUid) {
    String suffix = uidSuffix(appUid);
    String prefix = "auto" + family.version();
    int room = MAX_LENGTH - prefix.length() - 3 - nic.length() - suffix.length();
    String app = appName.length() > room ? appName.substring(0, Math.max(0, room)) : appName;
    return (prefix + "-" + app + "-" + nic + "-" + suffix).toLowerCase(Locale.ROOT);
  }

  /** The UID's last dash-separated part, at most five characters, lower-cased. */
  public static String uidSuffix(String uid) {
    String last = uid.substring(uid.lastIndexOf('-') + 1);
    return (last.length() > UID_CHARS ? last.substring(0, UID_CHARS) : last)
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code pool} could be the auto-pool of the application whose UID is {@code uid} (any
   * interface and family). The subnet controller keeps the pre-allocation of a pool that does not
   * exist (yet) only while the application its entry names is alive with such a UID: a re-created
   * application of the same name gets pools of another name.
   */
  public static boolean isFor(String pool, String uid) {
    return (pool.startsWith("auto4-") || pool.startsWith("auto6-"))
        && pool.endsWith("-" + uidSuffix(uid));
  }
}
