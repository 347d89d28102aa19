// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import io.spiderpool.daemon.cni.CniRequestHandler;
import io.spiderpool.daemon.spool.SpoolServer;
import io.spiderpool.service.ipam.FakeIpamService;
import java.nio.file.Path;

/**
 * A node daemon stand-in for {@code hack/bench-cni.sh}: the real CNI spool server and the real CNI
 * handler over the in-memory engine, wired as {@code NodeDaemon} wires them, so the benchmark
 * measures the plugin process and the protocol, not the API server. Usage: {@code java -cp
 * target/classes:target/test-classes io.spiderpool.bench.FakeDaemon SOCKET}, which serves the spool
 * next to SOCKET; runs until killed.
 */
public final class FakeDaemon {
  private FakeDaemon() {}

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    CniRequestHandler cni = new CniRequestHandler(new FakeIpamService(), (n, v) -> {}, () -> true);
    try (SpoolServer spool = SpoolServer.start(SpoolServer.dirFor(socket), cni, 512)) {
      System.out.println("fake daemon serving " + spool.dir());
      Thread.currentThread().join();
    }
  }
}
