// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.CniSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the plugin process itself needs from the network configuration: whether it decodes at all
 * (code 6 is answered here, before the daemon is looked for: an unreadable config does not say
 * where the daemon's socket is), the spec version (to shape answers made here), the daemon socket,
 * and the log file for errors answered here. Everything else is the daemon's business.
 *
 * @param cniVersion the requested version, or null when absent or unreadable
 * @param decodeFailure why stdin is not a usable configuration (code 6, or code 7 for a path that
 *     holds a NUL character), or null
 * @param logFile where errors answered here are appended; null when the configured path is unusable
 */
record NetConfPeek(String cniVersion, Path socket, Path logFile, CniFailure decodeFailure) {
  static NetConfPeek of(byte[] stdin) {
    CniCallRules.Decoded decoded = CniCallRules.decode(stdin);
    Map<?, ?> conf = decoded.conf();
    Map<?, ?> ipam = conf != null && conf.get("ipam") instanceof Map<?, ?> m ? m : Map.of();
    String version = conf == null ? null : string(conf.get("cniVersion"));
    String socket = string(ipam.get("ipam_unix_socket_path"));
    String log = string(ipam.get("log_file_path"));
    CniFailure failure = decoded.failure();
    CniFailure badSocket = CniCallRules.checkPath("ipam_unix_socket_path", socket);
    CniFailure badLog = CniCallRules.checkPath("log_file_path", log);
    if (failure == null) {
      failure = badSocket != null ? badSocket : badLog;
    }
    // Path.of throws on NUL: such a path is refused above and never used
    return new NetConfPeek(
        version,
        Path.of(socket == null || badSocket != null ? CniExchange.DEFAULT_SOCKET : socket),
        badLog != null ? null : Path.of(log == null ? CniExchange.DEFAULT_LOG_FILE : log),
        failure);
  }

  /** The version to write into answers made here: the requested one if spoken, else the newest. */
  String answerVersion() {
    return CniSpec.answerVersion(cniVersion);
  }

  private static String string(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }
}
