// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.settings.SettingsReader;
import io.spiderpool.k8s.ops.GcRequests;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spiderpool gc}: ask the controller role for a scan, and see whether it was served. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = "Ask the controller role for an IP GC scan of every pool now, or see its state.",
    subcommands = {GcCommand.Run.class, GcCommand.Status.class})
public class GcCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: run or status");
  }

  /** {@code spiderpool gc run}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Annotate every SpiderIPPool with a GC request; the controller role collects each pool",
        "and acknowledges. Waits for every pool unless --no-wait."
      })
  static class Run extends OperatorCommand {
    @Option(names = "--no-wait", description = "return once the request is written")
    boolean noWait;

    @Option(
        names = "--timeout",
        defaultValue = "60s",
        paramLabel = "DURATION",
        description = "how long to wait for the controller role (default ${DEFAULT-VALUE})")
    String timeout;

    private Duration limit;

    @Override
    void checkArguments() {
      try {
        limit =
            SettingsReader.resolve(
                Map.of(),
                r ->
                    r.positiveDuration(
                        SettingsReader.option("--timeout", timeout, null), Duration.ofSeconds(60)));
      } catch (InvalidInputException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) throws InterruptedException {
      GcRequests gc = new GcRequests(client);
      String token = Instant.now().toString();
      List<String> asked = gc.requestAll(token);
      err.println("... GC requested for " + asked.size() + " pools (token " + token + ")");
      long deadline = System.nanoTime() + limit.toNanos();
      List<GcRequests.PoolGcState> states = gc.states();
      while (!noWait && pending(states, asked, token) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(500); // polling the API server, as kubectl wait does
        states = gc.states();
        err.println(
            "... "
                + (asked.size() - pending(states, asked, token))
                + "/"
                + asked.size()
                + " pools scanned");
      }
      int left = pending(states, asked, token);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("token", token);
      doc.put("pools", asked.size());
      doc.put("scanned", noWait ? null : asked.size() - left);
      if (!Render.structured(out, cluster.output, doc)) {
        out.println(
            noWait
                ? "GC requested for " + asked.size() + " pools"
                : "GC scan: " + (asked.size() - left) + "/" + asked.size() + " pools scanned");
      }
      if (!noWait && left > 0) {
        err.println(
            spec.qualifiedName()
                + ": "
                + left
                + " pools not scanned within "
                + limit
                + "; is a controller role running (a daemon or 'spiderpool controller' holding the"
                + " Lease)? 'spiderpool gc status' shows what is pending");
        return ExitCodes.TIMEOUT;
      }
      return ExitCodes.OK;
    }

    private static int pending(
        List<GcRequests.PoolGcState> states, List<String> asked, String token) {
      int n = 0;
      for (GcRequests.PoolGcState s : states) {
        if (asked.contains(s.pool()) && !token.equals(s.done())) {
          n++;
        }
      }
      return n;
    }
  }

  /** {@code spiderpool gc status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Per pool: the last GC request and whether the controller role has served it.")
  static class Status extends OperatorCommand {
    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) {
      List<GcRequests.PoolGcState> states = new GcRequests(client).states();
      if (!Render.structured(out, cluster.output, states)) {
        Render.Table t = new Render.Table("POOL", "REQUESTED", "DONE", "PENDING");
        states.forEach(s -> t.row(s.pool(), s.requested(), s.done(), s.pending()));
        t.print(out);
      }
      return ExitCodes.OK;
    }
  }
}
