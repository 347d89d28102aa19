// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The training run for the plugin's class-data archive (AppCDS on JDK 17, AOT cache on JDK 25):
 * one JVM run through every path a runtime's call takes — VERSION, a daemon that is not there,
 * and a full exchange with a stand-in daemon on a temporary socket — so that the archive holds
 * exactly the classes of a real call. Needs no daemon and no network; prints nothing to stdout.
 */
final class CniTraining {
  private static final String CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"ipam\":{\"type\":"
      + "\"spiderpool\",\"ipam_unix_socket_path\":\"%s\",\"log_file_path\":\"%s\"}}";
  private static final String RESULT = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]}\n";
  private static final byte[] REPLY = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Cni-Exit: 0\r\n"
      + "Content-Length: " + RESULT.length() + "\r\nConnection: close\r\n\r\n" + RESULT)
      .getBytes(StandardCharsets.ISO_8859_1);

  private CniTraining() {}

  static void run() throws IOException {
    Path dir = Files.createTempDirectory("spiderpool-cni-train");
    Path sock = dir.resolve("daemon.sock");
    String conf = String.format(CONF, sock, dir.resolve("cni.log"));
    Map<String, String> env = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "train", "CNI_NETNS",
        "/proc/self/ns/net", "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin",
        "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=train");
    call(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
    call(env, conf);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      Thread daemon = new Thread(() -> serveOnce(server), "train-daemon");
      daemon.start();
      int exit = call(env, conf);
      daemon.join();
      if (exit != 0) {
        throw new IllegalStateException("training ADD failed with exit status " + exit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(sock);
      Files.deleteIfExists(dir.resolve("cni.log"));
      Files.deleteIfExists(dir);
    }
  }

  private static int call(Map<String, String> env, String stdin) {
    return CniEntry.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(), new UnixSocketTransport(Duration.ofSeconds(10)));
  }

  private static void serveOnce(ServerSocketChannel server) {
    try (SocketChannel client = server.accept()) {
      var in = Channels.newInputStream(client);
      int length = 0;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.readNBytes(length);
      client.write(ByteBuffer.wrap(REPLY));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLine(java.io.InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }
}
