// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the plugin reaches the node daemon: one request, one reply. A port so the dispatcher is
 * tested without sockets; production uses {@link UnixSocketTransport}.
 */
@FunctionalInterface
public interface DaemonTransport {

  /**
   * Posts {@code body} to {@link CniProtocol#PATH} on the daemon socket.
   *
   * @throws IOException when the daemon cannot be reached or does not answer in time; the plugin
   *     then answers "try again later" itself
   */
  Reply post(Path socket, Map<String, String> headers, byte[] body) throws IOException;

  /** The daemon's answer; header names lower-cased. */
  record Reply(int status, Map<String, String> headers, byte[] body) {}
}
