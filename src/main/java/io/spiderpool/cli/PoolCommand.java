// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.ops.IpamOperations;
import io.spiderpool.k8s.ops.PoolDetail;
import io.spiderpool.k8s.ops.PoolUsage;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spiderpool pool}: pool usage (needs a cluster) and planning (offline). */
@Command(
    name = "pool",
    mixinStandardHelpOptions = true,
    description = "Show pool usage (needs a cluster) or plan a pool's address space offline.",
    subcommands = {PoolCommand.ListPools.class, PoolCommand.Show.class, PoolPlanCommand.class})
public class PoolCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: list, show or plan");
  }

  /** Shared by list and show: render once, or again on every change of a pool. */
  abstract static class Watching extends OperatorCommand {
    @Option(names = "--watch", description = "print again whenever a pool changes (Ctrl-C ends)")
    boolean watch;

    abstract void render(IpamOperations ops, PrintWriter out);

    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) throws InterruptedException {
      IpamOperations ops = new IpamOperations(client);
      render(ops, out);
      if (!watch) {
        return ExitCodes.OK;
      }
      BlockingQueue<Object> changes = new LinkedBlockingQueue<>();
      try (Watch w =
          client
              .resources(SpiderIPPool.class)
              .watch(
                  new Watcher<SpiderIPPool>() {
                    @Override
                    public void eventReceived(Action action, SpiderIPPool resource) {
                      changes.add(action);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                      changes.add(cause);
                    }
                  })) {
        while (true) {
          Object first = changes.take();
          if (first instanceof WatcherException e) {
            err.println(spec.qualifiedName() + ": the watch ended: " + e.getMessage());
            return ExitCodes.CLUSTER;
          }
          // a burst of pool writes is one re-render
          while (changes.poll(200, TimeUnit.MILLISECONDS) != null) {
            // drain
          }
          if (cluster.output == ClusterOptions.Format.table) {
            out.println();
            out.println("--- " + Instant.now());
          }
          render(ops, out);
        }
      }
    }
  }

  /** {@code spiderpool pool list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Usage of every SpiderIPPool: total (spec.ips minus excludeIPs), allocated, free,",
        "reserved, excluded, the largest run of consecutive free addresses."
      })
  static class ListPools extends Watching {
    @Override
    void render(IpamOperations ops, PrintWriter out) {
      List<PoolUsage> pools = ops.pools();
      if (Render.structured(out, cluster.output, pools)) {
        return;
      }
      Render.Table t =
          new Render.Table(
              "NAME",
              "VERSION",
              "SUBNET",
              "TOTAL",
              "ALLOCATED",
              "FREE",
              "RESERVED",
              "EXCLUDED",
              "LARGEST-FREE-RUN",
              "DEFAULT",
              "DISABLED");
      for (PoolUsage p : pools) {
        t.row(
            p.name(),
            p.ipVersion(),
            p.subnet(),
            p.total(),
            p.allocated(),
            p.free(),
            p.reserved(),
            p.excluded(),
            p.largestFreeRun(),
            p.isDefault(),
            p.disabled());
      }
      t.print(out);
    }
  }

  /** {@code spiderpool pool show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One pool's usage, its records per node, and every record.")
  static class Show extends Watching {
    @Parameters(paramLabel = "NAME", description = "the SpiderIPPool")
    String name;

    @Override
    void render(IpamOperations ops, PrintWriter out) {
      PoolDetail d = ops.pool(name);
      if (Render.structured(out, cluster.output, d)) {
        return;
      }
      PoolUsage u = d.usage();
      out.println("Name:              " + u.name());
      out.println("Subnet:            " + u.subnet() + " (IPv" + u.ipVersion() + ")");
      out.println("Total:             " + u.total());
      out.println("Allocated:         " + u.allocated());
      out.println("Free:              " + u.free());
      out.println("Reserved:          " + u.reserved());
      out.println("Excluded:          " + u.excluded());
      out.println("Largest free run:  " + u.largestFreeRun());
      out.println("Records per node:  " + perNode(u.recordsPerNode()));
      out.println();
      Render.Table t = new Render.Table("IP", "POD", "POD-UID", "NODE", "INTERFACE");
      d.records().forEach(h -> t.row(h.ip(), h.pod(), h.podUid(), h.node(), h.interfaceName()));
      t.print(out);
    }

    private static String perNode(Map<String, Integer> m) {
      if (m.isEmpty()) {
        return "-";
      }
      return m.entrySet().stream()
          .map(e -> (e.getKey().isEmpty() ? "(no endpoint)" : e.getKey()) + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }
  }
}
