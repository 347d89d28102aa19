// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.Concat;
import io.spiderpool.wire.HttpCodec;
import io.spiderpool.wire.SpoolLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The training run for the plugin's class-data archive (AppCDS on JDK 17, AOT cache on JDK 25): one
 * JVM run through the path of a served call — VERSION and a full ADD with a stand-in daemon on a
 * temporary spool — so that the archive holds the classes of a real call and little else. Needs no
 * daemon and no network; prints nothing to stdout.
 *
 * <p>Only what a served call needs belongs here: a JDK 25 AOT cache loads every class it holds at
 * start-up, so a class that only the training uses slows down every call. Hence no {@code
 * Files.createTempDirectory} (it seeds a {@code SecureRandom}), no {@code String.format} (regex),
 * and no "daemon unreachable" call: its log line pulls in {@code java.time} formatting and lambdas,
 * hundreds of classes, for an answer whose speed does not matter.
 */
final class CniTraining {
  private static final String RESULT =
      "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]}";

  private CniTraining() {}

  static void run() throws IOException {
    File dir =
        new File(
            System.getProperty("java.io.tmpdir"),
            Concat.of("spiderpool-cni-train-", Long.toHexString(System.nanoTime())));
    if (!dir.mkdir()) {
      throw new IOException(Concat.of("cannot create ", dir));
    }
    String sock = new File(dir, "daemon.sock").getPath();
    File spool = new File(SpoolLayout.dirOf(sock));
    String conf =
        Concat.of(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"train\",\"ipam\":{\"type\":\"spiderpool\","
                + "\"ipam_unix_socket_path\":\"",
            sock,
            "\",\"log_file_path\":\"",
            new File(dir, "cni.log"),
            "\"}}");
    // the real call copies the process environment
    Map<String, String> env = new HashMap<>(Map.copyOf(System.getenv()));
    env.putAll(
        Map.of(
            "CNI_COMMAND",
            "ADD",
            "CNI_CONTAINERID",
            "train",
            "CNI_NETNS",
            "/proc/self/ns/net",
            "CNI_IFNAME",
            "eth0",
            "CNI_PATH",
            "/opt/cni/bin",
            "CNI_ARGS",
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=train"));
    try {
      call(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
      if (!spool.mkdir()) {
        throw new IOException(Concat.of("cannot create ", spool));
      }
      new FileOutputStream(new File(spool, SpoolLayout.HEARTBEAT)).close();
      StandIn daemon = new StandIn(spool);
      daemon.start();
      int exit = call(env, conf);
      daemon.join();
      if (exit != 0) {
        throw new IllegalStateException(Concat.of("training ADD failed with exit status ", exit));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      File[] left = spool.listFiles();
      for (File f : left == null ? new File[0] : left) {
        f.delete();
      }
      spool.delete();
      new File(dir, "cni.log").delete();
      dir.delete();
    }
  }

  private static int call(Map<String, String> env, String stdin) {
    return CniEntry.run(
        env,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        new SpoolTransport(10_000));
  }

  /** Answers the one request that appears in the spool, the way the daemon does, then ends. */
  private static final class StandIn extends Thread {
    private final File spool;

    StandIn(File spool) {
      super("train-daemon");
      this.spool = spool;
      setDaemon(true);
    }

    @Override
    public void run() {
      long deadline = System.nanoTime() + 10_000_000_000L;
      try {
        while (System.nanoTime() < deadline) {
          String[] names = spool.list();
          for (String name : names == null ? new String[0] : names) {
            if (name.endsWith(SpoolLayout.REQUEST)) {
              answer(name.substring(0, name.length() - SpoolLayout.REQUEST.length()));
              return;
            }
          }
          Thread.sleep(1);
        }
      } catch (IOException | InterruptedException e) {
        // the training call then fails and says so
      }
    }

    private void answer(String id) throws IOException {
      File work = new File(spool, id.concat(SpoolLayout.CLAIMED));
      if (!new File(spool, id.concat(SpoolLayout.REQUEST)).renameTo(work)) {
        throw new IOException("cannot claim the training request");
      }
      try (FileInputStream in = new FileInputStream(work)) {
        in.readAllBytes();
      }
      File part = new File(spool, id.concat(SpoolLayout.ANSWERING));
      try (FileOutputStream out = new FileOutputStream(part)) {
        HttpCodec.write(out, CniExchange.reply(0, RESULT), true);
      }
      part.renameTo(new File(spool, id.concat(SpoolLayout.RESPONSE)));
      work.delete();
    }
  }
}
