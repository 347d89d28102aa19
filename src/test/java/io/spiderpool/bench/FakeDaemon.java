// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.spiderpool.cni.CniProtocol;
import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.daemon.socket.UnixHttpServer;
import io.spiderpool.service.ipam.FakeIpamService;
import java.nio.file.Path;

/**
 * A node daemon stand-in for {@code hack/bench-cni.sh}: the real socket server and CNI handler
 * over the in-memory engine, so the benchmark measures the plugin process and the protocol, not
 * the API server. Usage: {@code java -cp target/classes:target/test-classes
 * io.spiderpool.bench.FakeDaemon SOCKET}; runs until killed.
 */
public final class FakeDaemon {
  private FakeDaemon() {}

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    try (UnixHttpServer server = UnixHttpServer.builder(socket)
        .route("POST", CniProtocol.PATH, new CniRequestHandler(new FakeIpamService(), (n, v) -> { }, () -> true))
        .start()) {
      System.out.println("fake daemon serving " + server.path());
      Thread.currentThread().join();
    }
  }
}
