// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.Concat;
import io.spiderpool.wire.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the plugin reaches the node daemon: one request, one reply. A port so the dispatcher is
 * tested without a daemon; production uses {@link SpoolTransport}.
 */
@FunctionalInterface
public interface DaemonTransport {

  /**
   * Posts {@code body} to {@link CniExchange#PATH} at the daemon serving {@code socket} (the {@code
   * ipam_unix_socket_path} of the network configuration).
   *
   * @return the daemon's reply, header names lower-cased
   * @throws IOException when the daemon cannot be reached or does not answer in time; the plugin
   *     then answers "try again later" itself
   */
  HttpResponse post(Path socket, Map<String, String> headers, byte[] body) throws IOException;

  /**
   * What this transport talks to for {@code socket}, for error messages; unless a transport says
   * better (the spool names its directory), the configured socket: "socket /run/x.sock".
   */
  default String where(Path socket) {
    return Concat.of("socket ", socket);
  }
}
