// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

import io.spiderpool.BuildInfo;
import io.spiderpool.core.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The wire contract between the thin plugin process and the node daemon, shared by both sides so
 * they cannot drift: the plugin sends {@code POST /v1/cni} with the raw network configuration as
 * the body and each set {@code CNI_*} variable as a header; the daemon answers 200 with the exact
 * bytes to print and the exit status in {@link #EXIT}. HTTP is only transport: a CNI failure is
 * still a 200 whose body is the CNI error object.
 *
 * <p>Header values are percent-encoded outside printable ASCII (and {@code %} itself), because
 * HTTP headers are Latin-1 lines that the server trims, while {@code CNI_ARGS} may carry anything.
 */
public final class CniProtocol {
  /** The daemon's route for forwarded CNI calls. */
  public static final String PATH = "/v1/cni";
  /** Response header: the plugin's exit status, {@code 0} or {@code 1}. */
  public static final String EXIT = "X-Cni-Exit";
  /** Spiderpool's default agent socket, used when the config names none or cannot be read. */
  public static final String DEFAULT_SOCKET = "/var/run/spidernet/spiderpool.sock";
  /** The newest spec version; answers to a config without a readable version use it. */
  public static final String LATEST = "1.1.0";

  /** Forwarded environment variables and their request headers, in a fixed order. */
  public static final Map<String, String> ENV_HEADERS = Map.of(
      "CNI_COMMAND", "X-Cni-Command",
      "CNI_CONTAINERID", "X-Cni-Containerid",
      "CNI_NETNS", "X-Cni-Netns",
      "CNI_IFNAME", "X-Cni-Ifname",
      "CNI_ARGS", "X-Cni-Args",
      "CNI_PATH", "X-Cni-Path");

  /** The variables in the order they are sent (Map.of has none). */
  public static final List<String> ENV_ORDER =
      List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");

  /** Spec error codes used by this plugin (CNI SPEC, "Error" section; 999 from libcni). */
  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODING_FAILURE = 6;
  public static final int INVALID_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int NOT_AVAILABLE = 50;
  public static final int NOT_AVAILABLE_LIMITED_CONNECTIVITY = 51;
  public static final int INTERNAL = 999;

  private CniProtocol() {}

  /** The CNI error object; {@code details} is omitted when empty, as libcni does. */
  public static String errorJson(String cniVersion, int code, String msg, String details) {
    StringBuilder sb = new StringBuilder(128).append("{\"cniVersion\":");
    JsonWriter.appendString(sb, cniVersion);
    sb.append(",\"code\":").append(code).append(",\"msg\":");
    JsonWriter.appendString(sb, msg);
    if (details != null && !details.isEmpty()) {
      sb.append(",\"details\":");
      JsonWriter.appendString(sb, details);
    }
    return sb.append('}').toString();
  }

  /** The VERSION answer: the version in use for this output, then every supported version. */
  public static String versionJson(String cniVersion) {
    StringBuilder sb = new StringBuilder(96).append("{\"cniVersion\":");
    JsonWriter.appendString(sb, cniVersion);
    sb.append(",\"supportedVersions\":[");
    List<String> all = BuildInfo.CNI_VERSIONS;
    for (int i = 0; i < all.size(); i++) {
      sb.append(i == 0 ? "\"" : ",\"").append(all.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }

  /** Percent-encodes UTF-8 bytes outside {@code !}..{@code ~}, and {@code %}. */
  public static String encodeHeader(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
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
