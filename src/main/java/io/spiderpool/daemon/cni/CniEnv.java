// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.HttpRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * The forwarded {@code CNI_*} variables, validated per command with one requirement table (as
 * libcni's skel): every missing variable is reported in one error, code 4.
 */
record CniEnv(
    String command, String containerId, String netns, String ifName, String args, String path) {

  /** Reads the headers the plugin set; absent variables are null. */
  static CniEnv from(HttpRequest request) {
    return new CniEnv(
        CniExchange.variable(request, "CNI_COMMAND"),
        CniExchange.variable(request, "CNI_CONTAINERID"),
        CniExchange.variable(request, "CNI_NETNS"),
        CniExchange.variable(request, "CNI_IFNAME"),
        CniExchange.variable(request, "CNI_ARGS"),
        CniExchange.variable(request, "CNI_PATH"));
  }

  /**
   * Throws code 4 unless the command's variables are valid ({@link CniCallRules}, shared with the
   * plugin).
   */
  void validate() {
    Map<String, String> env = new HashMap<>();
    put(env, "CNI_COMMAND", command);
    put(env, "CNI_CONTAINERID", containerId);
    put(env, "CNI_NETNS", netns);
    put(env, "CNI_IFNAME", ifName);
    put(env, "CNI_PATH", path);
    CniFailure f = CniCallRules.checkEnvironment(env);
    if (f != null) {
      throw new CniError(f);
    }
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
