// SPDX-License-Identifier: Apache-2.0
package io.spiderpool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about this build, readable without booting Quarkus. The CNI spec versions it speaks are
 * {@code io.spiderpool.wire.CniSpec#VERSIONS}: the plugin process must not pay for reading {@code
 * build.properties}.
 */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** The product version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "build.properties missing from the jar: the build is broken");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
