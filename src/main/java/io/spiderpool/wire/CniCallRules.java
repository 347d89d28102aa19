// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonSyntaxException;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.json.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a CNI call must satisfy before any IPAM work, as libcni's skel checks it: a known {@code
 * CNI_COMMAND}, the variables that command needs (one error naming every missing one, code 4), a
 * container ID and interface name of the allowed shape, a configuration that decodes as a JSON
 * object of at most {@link #MAX_CONFIG_BYTES} in well-formed UTF-8 (code 6), paths without NUL
 * (code 7), and a spec version that allows the command (code 1). The plugin process applies the
 * first rules itself, so a call it cannot even read is answered precisely without reaching for the
 * daemon (whose socket it may not know); the daemon applies all of them to what it is sent. No
 * lambdas or {@code +} on strings (see {@link Concat}): this runs in the plugin process.
 */
public final class CniCallRules {
  /**
   * The largest network configuration accepted on stdin, in bytes: 1 MiB, the length limit of the
   * core JSON reader. Real configurations, with a {@code prevResult} and runtime config, are a few
   * KiB; the daemon's framing allows a request four times this size.
   */
  public static final int MAX_CONFIG_BYTES = JsonReader.DEFAULT_MAX_LENGTH;

  private static final String[] COMMANDS = {"ADD", "DEL", "CHECK", "GC", "STATUS"};

  /** The variables checked, in the order skel reports them, and the commands that need each. */
  private static final String[] VARIABLES = {
    "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"
  };

  private static final String[][] NEEDED_BY = {
    {"ADD", "DEL", "CHECK"},
    {"ADD", "CHECK"},
    {"ADD", "DEL", "CHECK"},
    {"ADD", "DEL", "CHECK", "GC", "STATUS"}
  };

  private CniCallRules() {}

  /** The environment's failure for {@code command} (never VERSION), or null when it is valid. */
  public static CniFailure checkEnvironment(Map<String, String> env) {
    String command = env.get("CNI_COMMAND");
    if (!contains(COMMANDS, command)) {
      return new CniFailure(
          CniSpec.INVALID_ENVIRONMENT,
          Concat.of("unknown CNI_COMMAND: ", command),
          "use one of ADD, DEL, CHECK, GC, STATUS, VERSION");
    }
    StringBuilder missing = new StringBuilder();
    for (int i = 0; i < VARIABLES.length; i++) {
      String v = env.get(VARIABLES[i]);
      if (contains(NEEDED_BY[i], command) && (v == null || v.isEmpty())) {
        missing.append(missing.length() == 0 ? "" : ",").append(VARIABLES[i]);
      }
    }
    if (missing.length() > 0) {
      return new CniFailure(
          CniSpec.INVALID_ENVIRONMENT,
          Concat.of("required env variables [", missing, "] missing"),
          "");
    }
    if (contains(NEEDED_BY[0], command) && !validContainerId(env.get("CNI_CONTAINERID"))) {
      return new CniFailure(
          CniSpec.INVALID_ENVIRONMENT,
          "invalid characters in containerID",
          env.get("CNI_CONTAINERID"));
    }
    if (contains(NEEDED_BY[2], command)) {
      return checkIfName(env.get("CNI_IFNAME"));
    }
    return null;
  }

  /**
   * The version gate, once the configuration decoded: {@code version} must be one this plugin
   * speaks ({@link CniSpec#VERSIONS}); CHECK needs 0.4.0 or newer, GC and STATUS need 1.1.0 or
   * newer. Code 1 when it fails, else null.
   */
  public static CniFailure checkVersion(String version, String command) {
    int index = CniSpec.VERSIONS.indexOf(version);
    if (index < 0) {
      StringBuilder spoken = new StringBuilder("[");
      for (String v : CniSpec.VERSIONS) {
        spoken.append(spoken.length() == 1 ? "\"" : " \"").append(v).append('"');
      }
      return new CniFailure(
          CniSpec.INCOMPATIBLE_VERSION,
          "incompatible CNI versions",
          Concat.of("config is \"", version, "\", plugin supports ", spoken, "]"));
    }
    String minimum =
        switch (command) {
          case "CHECK" -> "0.4.0";
          case "GC", "STATUS" -> "1.1.0";
          default -> "0.3.0";
        };
    if (index < CniSpec.VERSIONS.indexOf(minimum)) {
      return new CniFailure(
          CniSpec.INCOMPATIBLE_VERSION,
          Concat.of("config version does not allow ", command),
          Concat.of(
              "config is \"",
              version,
              "\"; ",
              command,
              " needs cniVersion ",
              minimum,
              " or newer"));
    }
    return null;
  }

  /** A decoded configuration, or why it does not decode (then {@code conf} is null). */
  public record Decoded(Map<String, Object> conf, CniFailure failure) {}

  /**
   * Decodes stdin: a JSON object of at most {@link #MAX_CONFIG_BYTES}, else a code 6 failure whose
   * details name the limit or the syntax error's position.
   */
  @SuppressWarnings("unchecked")
  public static Decoded decode(byte[] stdin) {
    if (stdin.length > MAX_CONFIG_BYTES) {
      return new Decoded(
          null,
          new CniFailure(
              CniSpec.DECODING_FAILURE,
              "network config too large",
              Concat.of(
                  "the configuration on stdin is larger than ",
                  MAX_CONFIG_BYTES,
                  " bytes (1 MiB), the most this plugin accepts")));
    }
    int bad = Utf8.firstInvalid(stdin);
    if (bad >= 0) {
      // decoding would replace the bytes with U+FFFD and pass a different config on silently
      return new Decoded(
          null,
          new CniFailure(
              CniSpec.DECODING_FAILURE,
              "decoding version from network config",
              Concat.of(
                  "network config is not valid UTF-8: byte 0x",
                  Integer.toHexString(stdin[bad] & 0xff),
                  " at offset ",
                  bad)));
    }
    Object tree;
    try {
      tree = JsonReader.parse(new String(stdin, StandardCharsets.UTF_8));
    } catch (JsonSyntaxException e) {
      return new Decoded(
          null,
          new CniFailure(
              CniSpec.DECODING_FAILURE,
              "decoding version from network config",
              Concat.of("network config: ", e.getMessage())));
    }
    if (!(tree instanceof Map)) {
      return new Decoded(
          null,
          new CniFailure(
              CniSpec.DECODING_FAILURE,
              "decoding version from network config",
              Concat.of("network config must be a JSON object, not ", JsonValues.typeName(tree))));
    }
    return new Decoded((Map<String, Object>) tree, null);
  }

  /**
   * A path the configuration names (the daemon's socket, the log file) that no file system takes:
   * one holding a NUL character. Code 7, else null.
   */
  public static CniFailure checkPath(String key, String path) {
    if (path != null && path.indexOf('\0') >= 0) {
      return new CniFailure(
          CniSpec.INVALID_CONFIG,
          "invalid network config",
          Concat.of("ipam.", key, " contains a NUL character: write a file path"));
    }
    return null;
  }

  private static boolean contains(String[] values, String v) {
    for (String s : values) {
      if (s.equals(v)) {
        return true;
      }
    }
    return false;
  }

  /** skel's rule: a letter or digit first, then letters, digits, {@code _ . -}. */
  private static boolean validContainerId(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  private static CniFailure checkIfName(String name) {
    String problem = null;
    if (name.length() > 15) {
      problem = "interface name is too long";
    } else if (name.equals(".") || name.equals("..")) {
      problem = "interface name is . or ..";
    } else {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '/' || c == ':' || Character.isWhitespace(c)) {
          problem = "interface name contains / or : or whitespace characters";
          break;
        }
      }
    }
    return problem == null
        ? null
        : new CniFailure(
            CniSpec.INVALID_ENVIRONMENT,
            problem,
            Concat.of(
                "CNI_IFNAME \"", name, "\": use at most 15 characters, none of / : or whitespace"));
  }
}
