// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.k8s.ops.AddressInfo;
import io.spiderpool.k8s.ops.AllocateOutcome;
import io.spiderpool.k8s.ops.IpamOperations;
import io.spiderpool.k8s.ops.ReleaseOutcome;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spiderpool ip}: one address by hand (docs/cli.md). */
@Command(
    name = "ip",
    mixinStandardHelpOptions = true,
    description = "Show, allocate or release an IP address by hand.",
    subcommands = {IpCommand.Show.class, IpCommand.Release.class, IpCommand.Allocate.class})
public class IpCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: show, allocate or release");
  }

  /** {@code spiderpool ip show IP}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Who holds an address: pool, Pod (namespace/name/UID, whether it still exists), node,",
        "interface, SpiderEndpoint, StatefulSet/VM stickiness; also free, excluded and reserved"
            + " addresses."
      })
  static class Show extends OperatorCommand {
    @Parameters(paramLabel = "IP", description = "the address, without prefix")
    String ip;

    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) {
      AddressInfo info = new IpamOperations(client).show(ip);
      if (!Render.structured(out, cluster.output, info)) {
        Render.Table t =
            new Render.Table(
                "POOL",
                "STATE",
                "POD",
                "POD-UID",
                "POD-EXISTS",
                "NODE",
                "INTERFACE",
                "ENDPOINT",
                "STICKY");
        for (AddressInfo.InPool p : info.pools()) {
          t.row(
              p.pool(),
              p.state(),
              p.pod(),
              p.podUid(),
              p.podExists(),
              p.node(),
              p.interfaceName(),
              p.endpoint(),
              p.stickiness());
        }
        out.println("IP " + info.ip());
        if (!info.reservedBy().isEmpty()) {
          out.println("reserved by SpiderReservedIP " + String.join(", ", info.reservedBy()));
        }
        if (!info.pools().isEmpty()) {
          t.print(out);
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code spiderpool ip release IP}. */
  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = {
        "Free an address whose owner is gone. Refuses a live Pod's address unless --force.",
        "The record is removed only while it still names the owner UID that was read."
      })
  static class Release extends OperatorCommand {
    @Parameters(paramLabel = "IP", description = "the address, without prefix")
    String ip;

    @Option(names = "--force", description = "release even when a live Pod holds the address")
    boolean force;

    @Option(names = "--dry-run", description = "say what would be done, change nothing")
    boolean dryRun;

    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) {
      IpamOperations ops = new IpamOperations(client);
      IpamOperations.ReleasePlan plan = ops.planRelease(ip, force);
      ReleaseOutcome done = dryRun ? ops.dryRun(plan) : ops.release(plan);
      if (!Render.structured(out, cluster.output, done)) {
        out.println(
            (done.dryRun() ? "would release " : "released ")
                + done.ip()
                + " from "
                + done.pool()
                + " (was "
                + done.pod()
                + ", uid "
                + done.podUid()
                + (done.podLive() ? ", a live Pod: forced" : "")
                + "); endpoint: "
                + done.endpointAction());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code spiderpool ip allocate --pod NS/NAME}. */
  @Command(
      name = "allocate",
      mixinStandardHelpOptions = true,
      description = {
        "Give a Pod an address before its sandbox exists, or pin a specific one: the record is",
        "the Pod UID's, so the Pod's CNI ADD returns it. Refuses taken, reserved and excluded"
            + " addresses."
      })
  static class Allocate extends OperatorCommand {
    @Option(names = "--pod", required = true, paramLabel = "NS/NAME", description = "the Pod")
    String pod;

    @Option(
        names = "--interface",
        defaultValue = "eth0",
        paramLabel = "NAME",
        description = "the Pod's interface (default ${DEFAULT-VALUE})")
    String iface;

    @Option(names = "--pool", paramLabel = "POOL", description = "allocate from this SpiderIPPool")
    String pool;

    @Option(names = "--ip", paramLabel = "IP", description = "allocate exactly this address")
    String ip;

    @Override
    void checkArguments() {
      int slash = pod.indexOf('/');
      if (slash <= 0 || slash == pod.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "--pod takes NAMESPACE/NAME, e.g. --pod default/web-0");
      }
    }

    @Override
    int run(KubernetesClient client, PrintWriter out, PrintWriter err) {
      int slash = pod.indexOf('/');
      IpamOperations ops = new IpamOperations(client);
      AllocateOutcome done =
          ops.allocate(
              ops.planAllocate(pod.substring(0, slash), pod.substring(slash + 1), iface, pool, ip));
      if (!Render.structured(out, cluster.output, done)) {
        out.println(
            (done.existing() ? "already allocated " : "allocated ")
                + done.address()
                + " from "
                + done.pool()
                + " to "
                + done.pod()
                + " (uid "
                + done.podUid()
                + ") on "
                + done.interfaceName()
                + (done.gateway() == null ? "" : ", gateway " + done.gateway()));
      }
      return ExitCodes.OK;
    }
  }
}
