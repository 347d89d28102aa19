// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

import io.spiderpool.core.json.JsonWriter;
import java.util.List;

/**
 * What the CNI specification fixes for this plugin, in one place for the plugin process and the
 * daemon: the versions it speaks, the error codes it answers with, and the error and VERSION
 * objects. The version gates of each command are {@link CniCallRules#checkVersion}'s, the shape of
 * an ADD result per version is {@link CniResult}'s.
 */
public final class CniSpec {
  /** The spec versions this plugin speaks, oldest first. */
  public static final List<String> VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

  /** The newest spec version; answers to a config without a readable version use it. */
  public static final String LATEST = "1.1.0";

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

  private CniSpec() {}

  /** The version to write into an answer: the requested one if spoken, else {@link #LATEST}. */
  public static String answerVersion(String requested) {
    return requested != null && VERSIONS.contains(requested) ? requested : LATEST;
  }

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
    for (int i = 0; i < VERSIONS.size(); i++) {
      sb.append(i == 0 ? "\"" : ",\"").append(VERSIONS.get(i)).append('"');
    }
    return sb.append("]}").toString();
  }
}
