// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.range.PoolSpace;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spiderpool pool plan}: validates a SpiderIPPool's address fields as the webhook will,
 * prints the normalised ranges, the counts, and which addresses lowest-free allocation would hand
 * out next. Works offline.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Validate and normalise a pool's subnet, ips, excludeIPs, reserved IPs and gateway offline.")
public class PoolPlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--subnet", required = true, description = "spec.subnet, e.g. 10.0.0.0/8")
  String subnet;

  @Option(names = "--ips", split = ",", description = "spec.ips ranges (default: the whole subnet)")
  List<String> ips;

  @Option(names = "--exclude", split = ",", description = "spec.excludeIPs ranges")
  List<String> exclude;

  @Option(names = "--reserved", split = ",", description = "addresses of SpiderReservedIPs")
  List<String> reserved;

  @Option(names = "--gateway", description = "spec.gateway")
  String gateway;

  @Option(names = "--allocated", split = ",", description = "addresses or ranges already allocated")
  List<String> allocated;

  @Option(
      names = "--next",
      defaultValue = "5",
      description = "how many next addresses to show (default ${DEFAULT-VALUE})")
  int next;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      List<String> ipList = ips;
      if (ipList == null || ipList.isEmpty()) {
        ipList = List.of(wholeSubnet());
      }
      PoolSpace space = PoolSpace.of(subnet, ipList, exclude, reserved, gateway);
      RangeSet used = RangeList.parse("--allocated", allocated, space.subnet());
      out.printf("subnet:        %s (%s)%n", space.subnet(), space.subnet().family());
      out.printf("ips:           %s%n", join(space.ips()));
      out.printf("excludeIPs:    %s%n", join(space.excluded()));
      out.printf("reserved:      %s%n", join(space.reserved()));
      out.printf("gateway:       %s%n", space.gateway().map(IpAddress::toString).orElse("-"));
      out.printf("totalIPCount:  %d%n", space.totalIpCount());
      out.printf(
          "usable:        %s addresses (ips - excludeIPs - reserved)%n", space.usable().size());
      out.printf("allocated:     %s addresses%n", used.intersect(space.ips()).size());
      List<IpAddress> nextFree = space.nextFree(used, next);
      out.printf(
          "next %d free:   %s%n",
          nextFree.size(),
          nextFree.isEmpty()
              ? "none: the pool is exhausted"
              : nextFree.stream().map(IpAddress::toString).collect(Collectors.joining(" ")));
      return 0;
    } catch (InvalidInputException e) {
      spec.commandLine().getErr().println("invalid pool: " + e.getMessage());
      return 1;
    }
  }

  private String wholeSubnet() {
    try {
      return Cidr.parse(subnet).toRange().toString();
    } catch (InvalidInputException e) {
      throw e.in("spec.subnet");
    }
  }

  private static String join(RangeSet set) {
    return set.isEmpty() ? "-" : String.join(" ", set.toStrings());
  }
}
