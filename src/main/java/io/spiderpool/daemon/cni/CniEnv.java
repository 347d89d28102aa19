// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.cni.CniCallRules;
import io.spiderpool.cni.CniFailure;
import io.spiderpool.cni.CniProtocol;
import io.spiderpool.daemon.socket.HttpRequest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The forwarded {@code CNI_*} variables, validated per command with one requirement table (as
 * libcni's skel): every missing variable is reported in one error, code 4.
 */
record CniEnv(String command, String containerId, String netns, String ifName, String args,
    String path) {

  /** Reads the headers the plugin set; absent variables are null. */
  static CniEnv from(HttpRequest request) {
    return new CniEnv(header(request, "CNI_COMMAND"), header(request, "CNI_CONTAINERID"),
        header(request, "CNI_NETNS"), header(request, "CNI_IFNAME"), header(request, "CNI_ARGS"),
        header(request, "CNI_PATH"));
  }

  private static String header(HttpRequest request, String variable) {
    String v = request.header(CniProtocol.ENV_HEADERS.get(variable).toLowerCase(Locale.ROOT));
    return v == null ? null : CniProtocol.decodeHeader(v);
  }

  /** Throws code 4 unless the command's variables are valid ({@link CniCallRules}, shared with the plugin). */
  void validate() {
    Map<String, String> env = new HashMap<>();
    put(env, "CNI_COMMAND", command);
    put(env, "CNI_CONTAINERID", containerId);
    put(env, "CNI_NETNS", netns);
    put(env, "CNI_IFNAME", ifName);
    put(env, "CNI_PATH", path);
    CniFailure f = CniCallRules.checkEnvironment(env);
    if (f != null) {
      throw new CniError(f.code(), f.msg(), f.details());
    }
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
