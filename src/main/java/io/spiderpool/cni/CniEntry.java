// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.BuildInfo;
import java.io.PrintStream;
import java.util.Map;

/**
 * The CNI plugin process. Uses JDK classes only, so that a runtime's call costs a bare JVM start
 * and not a framework boot. VERSION is answered here; every other verb needs the node daemon.
 */
public final class CniEntry {
  /** The newest spec version; results and errors without a requested version use it. */
  static final String LATEST = "1.1.0";

  private CniEntry() {}

  /** Runs with the real environment and standard streams; returns the exit status. */
  public static int runFromProcess() {
    return run(System.getenv(), System.out);
  }

  /** Runs one CNI call; stdout receives only the result or the error object. */
  public static int run(Map<String, String> env, PrintStream stdout) {
    String command = env.getOrDefault("CNI_COMMAND", "");
    if (command.equals("VERSION")) {
      stdout.println(versionResult());
      return 0;
    }
    if (command.isEmpty()) {
      return error(stdout, 4, "CNI_COMMAND is not set",
          "set CNI_COMMAND to one of ADD, DEL, CHECK, GC, STATUS, VERSION");
    }
    return error(stdout, 11, "spiderpool node daemon is unavailable",
        "this build (" + BuildInfo.version() + ") has no node daemon yet; CNI " + command
            + " cannot be served");
  }

  static String versionResult() {
    StringBuilder sb = new StringBuilder("{\"cniVersion\":\"" + LATEST + "\",\"supportedVersions\":[");
    for (int i = 0; i < BuildInfo.CNI_VERSIONS.size(); i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(BuildInfo.CNI_VERSIONS.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }

  private static int error(PrintStream stdout, int code, String msg, String details) {
    stdout.println("{\"cniVersion\":\"" + LATEST + "\",\"code\":" + code + ",\"msg\":\"" + msg
        + "\",\"details\":\"" + details.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    return 1;
  }
}
