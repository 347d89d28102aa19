// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The exchange between the thin plugin process and the node daemon, both sides of it, so they
 * cannot drift: the plugin sends {@code POST /v1/cni} with the raw network configuration as the
 * body and each set {@code CNI_*} variable as a header; the daemon answers 200 with the exact bytes
 * to print and the exit status in {@link #EXIT}. HTTP is only the framing ({@link HttpCodec}),
 * carried through the spool ({@link SpoolLayout}): a CNI failure is still a 200 whose body is the
 * CNI error object.
 *
 * <p>Header values are percent-encoded outside printable ASCII (and {@code %} itself), because HTTP
 * headers are Latin-1 lines that the server trims, while {@code CNI_ARGS} may carry anything.
 */
public final class CniExchange {
  /** The daemon's route for forwarded CNI calls. */
  public static final String PATH = "/v1/cni";

  /** Response header: the plugin's exit status, {@code 0} or {@code 1}. */
  public static final String EXIT = "X-Cni-Exit";

  /** Spiderpool's default agent socket, used when the config names none or cannot be read. */
  public static final String DEFAULT_SOCKET = "/var/run/spidernet/spiderpool.sock";

  /**
   * Spiderpool's default {@code log_file_path}: where the plugin appends what it answers itself.
   */
  public static final String DEFAULT_LOG_FILE = "/var/log/spidernet/spiderpool.log";

  /** The forwarded variables in the order they are sent, and the header carrying each. */
  private static final String[] VARIABLES = {
    "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"
  };

  private static final String[] HEADERS = {
    "X-Cni-Command", "X-Cni-Containerid", "X-Cni-Netns", "X-Cni-Ifname", "X-Cni-Args", "X-Cni-Path"
  };

  private CniExchange() {}

  /** The plugin's CNI headers: one per variable set in {@code env}, in a fixed order, encoded. */
  public static Map<String, String> headers(Map<String, String> env) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < VARIABLES.length; i++) {
      String v = env.get(VARIABLES[i]);
      if (v != null) {
        h.put(HEADERS[i], encodeHeader(v));
      }
    }
    return h;
  }

  /**
   * The request the plugin hands to the daemon: {@link #PATH}, the CNI headers, the configuration.
   */
  public static byte[] request(Map<String, String> cniHeaders, byte[] config) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "localhost");
    h.put("Content-Type", "application/json");
    h.putAll(cniHeaders);
    return HttpCodec.request("POST", PATH, h, config);
  }

  /** A forwarded variable as the runtime set it, or null when the plugin did not send it. */
  public static String variable(HttpRequest request, String name) {
    for (int i = 0; i < VARIABLES.length; i++) {
      if (VARIABLES[i].equals(name)) {
        String v = request.header(HEADERS[i].toLowerCase(Locale.ROOT));
        return v == null ? null : decodeHeader(v);
      }
    }
    throw new IllegalArgumentException(Concat.of(name, " is not a forwarded CNI variable"));
  }

  /**
   * The daemon's answer: the text to print (with a newline, or nothing when empty) and the exit
   * status.
   */
  public static HttpResponse reply(int exitStatus, String output) {
    byte[] bytes =
        output.isEmpty() ? new byte[0] : output.concat("\n").getBytes(StandardCharsets.UTF_8);
    return new HttpResponse(
        200, Map.of("Content-Type", "application/json", EXIT, String.valueOf(exitStatus)), bytes);
  }

  /**
   * The exit status a reply read by {@link HttpCodec} carries: 0 for {@code 0}, else 1; -1 when it
   * is not a CNI answer (not 200, or without {@link #EXIT}).
   */
  public static int exitStatus(HttpResponse reply) {
    String exit = reply.headers().get(EXIT.toLowerCase(Locale.ROOT));
    if (reply.status() != 200 || exit == null) {
      return -1;
    }
    return exit.trim().equals("0") ? 0 : 1;
  }

  /** Percent-encodes UTF-8 bytes outside {@code !}..{@code ~}, and {@code %}. */
  public static String encodeHeader(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /** Reverses {@link #encodeHeader}; a malformed escape is kept literally. */
  public static String decodeHeader(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
      if (c == '%' && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(raw, 0, raw.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
