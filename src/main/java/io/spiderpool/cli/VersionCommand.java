// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.spiderpool.BuildInfo;
import io.spiderpool.wire.CniSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code spiderpool version}: what this build is and which wire contracts it speaks. */
@Command(name = "version", description = "Print the version and the supported CNI spec versions.")
public class VersionCommand implements Runnable {

  /** The lines printed by {@code version} and {@code --version}. */
  public static List<String> lines() {
    return List.of(
        "spiderpool " + BuildInfo.version(),
        "CNI spec versions: " + String.join(", ", CniSpec.VERSIONS),
        "API: spiderpool.spidernet.io/v2beta1 (SpiderIPPool, SpiderSubnet, SpiderEndpoint, SpiderReservedIP)",
        "Java: " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
  }

  @Override
  public void run() {
    lines().forEach(System.out::println);
  }

  /** Lets {@code spiderpool --version} print the same text. */
  public static class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return lines().toArray(new String[0]);
    }
  }
}
