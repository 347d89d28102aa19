// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.core.json.JsonReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The three values the plugin process itself needs from the network configuration: the spec
 * version (to shape its own answers), the daemon socket, and the log file for errors it answers
 * locally. Everything else is the daemon's business.
 *
 * <p>Never fails: a configuration that cannot be read still goes to the daemon, which reports
 * the precise decoding error (code 6) or invalid configuration (code 7) in the requested shape.
 *
 * @param cniVersion the requested version, or null when absent or unreadable
 */
record NetConfPeek(String cniVersion, Path socket, Path logFile) {
  static final String DEFAULT_LOG_FILE = "/var/log/spidernet/spiderpool.log";

  static NetConfPeek of(byte[] stdin) {
    Map<?, ?> conf = null;
    try {
      Object tree = JsonReader.parse(new String(stdin, StandardCharsets.UTF_8));
      conf = tree instanceof Map<?, ?> m ? m : null;
    } catch (RuntimeException unreadable) {
      // forwarded as it is; the daemon reports it
    }
    Map<?, ?> ipam = conf != null && conf.get("ipam") instanceof Map<?, ?> m ? m : Map.of();
    String version = conf == null ? null : string(conf.get("cniVersion"));
    String socket = string(ipam.get("ipam_unix_socket_path"));
    String log = string(ipam.get("log_file_path"));
    return new NetConfPeek(version, Path.of(socket == null ? CniProtocol.DEFAULT_SOCKET : socket),
        Path.of(log == null ? DEFAULT_LOG_FILE : log));
  }

  /** The version to write into answers made here: the requested one, else the newest. */
  String answerVersion() {
    return cniVersion == null ? CniProtocol.LATEST : cniVersion;
  }

  private static String string(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }
}
