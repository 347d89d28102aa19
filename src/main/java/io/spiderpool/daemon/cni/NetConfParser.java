// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.wire.CniCallRules;
import io.spiderpool.wire.CniExchange;
import io.spiderpool.wire.CniFailure;
import io.spiderpool.wire.CniSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the network configuration in two steps, as libcni does: first only {@code cniVersion} (a
 * document that is not a JSON object is code 6, "failed to decode"), so even a broken config is
 * answered in the requested shape; then the rest (a wrong value is code 7, "invalid network
 * config", with a message naming the key). Keys match case-insensitively like Go's decoder; unknown
 * keys are ignored like Go's decoder.
 */
public final class NetConfParser {
  private static final Set<String> LOG_LEVELS =
      Set.of("debug", "info", "warn", "error", "fatal", "panic");

  private NetConfParser() {}

  /** The decoded document; throws code 6 when it is not a JSON object. */
  static Map<String, Object> decode(byte[] stdin) {
    CniCallRules.Decoded d = CniCallRules.decode(stdin);
    if (d.failure() != null) {
      throw new CniError(d.failure());
    }
    return d.conf();
  }

  /** The requested version; absent means the pre-0.2 default, which this plugin does not speak. */
  static String version(Map<String, Object> conf) {
    Object v = JsonValues.field(conf, "cniVersion");
    return v instanceof String s ? s : v == null ? "0.1.0" : String.valueOf(v);
  }

  /** The whole configuration; throws code 7 on any invalid value. */
  public static NetConf parse(Map<String, Object> conf) {
    try {
      Object name = JsonValues.field(conf, "name");
      Object ipam = JsonValues.field(conf, "ipam");
      return new NetConf(
          version(conf),
          name == null ? "" : JsonValues.asString(name, "name"),
          ipam(ipam == null ? Map.of() : JsonValues.asObject(ipam, "ipam")),
          attachments(JsonValues.field(conf, "cni.dev/valid-attachments")));
    } catch (InvalidInputException e) {
      throw new CniError(CniSpec.INVALID_CONFIG, "invalid network config", e.getMessage());
    }
  }

  private static IpamConf ipam(Map<String, Object> m) {
    String level = string(m, "log_level", IpamConf.DEFAULT_LOG_LEVEL);
    if (!LOG_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      throw new InvalidInputException(
          "ipam.log_level is \""
              + level
              + "\": use one of debug, info, warn,"
              + " error, fatal, panic");
    }
    return new IpamConf(
        level.toLowerCase(Locale.ROOT),
        path(m, "log_file_path", CniExchange.DEFAULT_LOG_FILE),
        number(m, "log_file_max_size", IpamConf.DEFAULT_MAX_SIZE_MB),
        number(m, "log_file_max_age", IpamConf.DEFAULT_MAX_AGE_DAYS),
        number(m, "log_file_max_count", IpamConf.DEFAULT_MAX_COUNT),
        path(m, "ipam_unix_socket_path", CniExchange.DEFAULT_SOCKET),
        JsonValues.asStringList(
            JsonValues.field(m, "default_ipv4_ippool"), "ipam.default_ipv4_ippool"),
        JsonValues.asStringList(
            JsonValues.field(m, "default_ipv6_ippool"), "ipam.default_ipv6_ippool"),
        bool(m, "clean_gateway"),
        bool(m, "match_master_subnet"));
  }

  private static String string(Map<String, Object> m, String key, String dflt) {
    Object v = JsonValues.field(m, key);
    return v == null ? dflt : JsonValues.asString(v, "ipam." + key);
  }

  /** A configured path; one holding NUL is refused as the plugin refuses it (code 7). */
  private static String path(Map<String, Object> m, String key, String dflt) {
    String p = string(m, key, dflt);
    CniFailure bad = CniCallRules.checkPath(key, p);
    if (bad != null) {
      throw new CniError(bad);
    }
    return p;
  }

  /** A non-negative integer, or its decimal string form (Spiderpool's docs write {@code "100"}). */
  private static int number(Map<String, Object> m, String key, int dflt) {
    Object v = JsonValues.field(m, key);
    if (v == null) {
      return dflt;
    }
    int n;
    if (v instanceof String s) {
      try {
        n = Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            "ipam." + key + " is \"" + s + "\": write a whole number such as " + dflt);
      }
    } else {
      n = JsonValues.asInt(v, "ipam." + key);
    }
    if (n < 0) {
      throw new InvalidInputException(
          "ipam." + key + " is " + n + ": write 0 or a positive number");
    }
    return n;
  }

  private static boolean bool(Map<String, Object> m, String key) {
    Object v = JsonValues.field(m, key);
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    return v != null && JsonValues.asBoolean(v, "ipam." + key);
  }

  private static Set<Attachment> attachments(Object v) {
    if (v == null) {
      return null;
    }
    List<Object> items = JsonValues.asArray(v, "cni.dev/valid-attachments");
    Set<Attachment> out = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "cni.dev/valid-attachments[" + i + "]";
      Map<String, Object> a = JsonValues.asObject(items.get(i), at);
      out.add(
          new Attachment(
              JsonValues.asString(JsonValues.field(a, "containerID"), at + ".containerID"),
              JsonValues.asString(JsonValues.field(a, "ifname"), at + ".ifname")));
    }
    return out;
  }
}
