// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.cni.CniProtocol;
import io.spiderpool.daemon.socket.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The forwarded {@code CNI_*} variables, validated per command with one requirement table (as
 * libcni's skel): every missing variable is reported in one error, code 4.
 */
record CniEnv(String command, String containerId, String netns, String ifName, String args,
    String path) {

  private static final Set<String> COMMANDS = Set.of("ADD", "DEL", "CHECK", "GC", "STATUS");
  private static final Pattern CONTAINER_ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

  /** Variable → commands that need it. CNI_ARGS is never required. */
  private static final Map<String, Set<String>> REQUIRED = Map.of(
      "CNI_CONTAINERID", Set.of("ADD", "DEL", "CHECK"),
      "CNI_NETNS", Set.of("ADD", "CHECK"),
      "CNI_IFNAME", Set.of("ADD", "DEL", "CHECK"),
      "CNI_PATH", Set.of("ADD", "DEL", "CHECK", "GC", "STATUS"));
  private static final List<String> ORDER = List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH");

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

  /** Throws code 4 (or 3 for an empty container ID) unless the command's variables are valid. */
  void validate() {
    if (command == null || !COMMANDS.contains(command)) {
      throw new CniError(CniProtocol.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + command,
          "use one of ADD, DEL, CHECK, GC, STATUS, VERSION");
    }
    List<String> missing = new ArrayList<>();
    for (String variable : ORDER) {
      String v = value(variable);
      if (REQUIRED.get(variable).contains(command) && (v == null || v.isEmpty())) {
        missing.add(variable);
      }
    }
    if (!missing.isEmpty()) {
      throw new CniError(CniProtocol.INVALID_ENVIRONMENT,
          "required env variables [" + String.join(",", missing) + "] missing", "");
    }
    if (REQUIRED.get("CNI_CONTAINERID").contains(command) && !CONTAINER_ID.matcher(containerId).matches()) {
      throw new CniError(CniProtocol.INVALID_ENVIRONMENT, "invalid characters in containerID", containerId);
    }
    if (REQUIRED.get("CNI_IFNAME").contains(command)) {
      validateIfName(ifName);
    }
  }

  private String value(String variable) {
    return switch (variable) {
      case "CNI_CONTAINERID" -> containerId;
      case "CNI_NETNS" -> netns;
      case "CNI_IFNAME" -> ifName;
      default -> path;
    };
  }

  private static void validateIfName(String name) {
    String problem = null;
    if (name.length() > 15) {
      problem = "interface name is too long";
    } else if (name.equals(".") || name.equals("..")) {
      problem = "interface name is . or ..";
    } else if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      problem = "interface name contains / or : or whitespace characters";
    }
    if (problem != null) {
      throw new CniError(CniProtocol.INVALID_ENVIRONMENT, problem,
          "CNI_IFNAME \"" + name + "\": use at most 15 characters, none of / : or whitespace");
    }
  }
}
