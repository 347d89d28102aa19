// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claims of recently admitted pools and subnets, kept as the string map of one coordination
 * object (a ConfigMap's {@code data}) that every daemon updates by compare-and-set. Spiderpool's
 * webhook lists the other pools without any lock, so two overlapping pools admitted at the same
 * moment both get in (reference §12 item 17). Here an admission first reads the claims, validates
 * against the stored objects <em>and</em> the claims, then writes its own claim guarded by the
 * version it read; a concurrent admission loses the write, re-reads and sees the winner's claim.
 *
 * <p>A claim lapses after a TTL: by then the object it stands for is stored and listed (or its
 * creation failed, and the claim only delayed an overlapping create by at most the TTL). Lapsed
 * and unreadable entries are dropped whenever a claim is written.
 */
public final class ClaimBook {
  private ClaimBook() {}

  /** The data key of a claim: {@code ippool.<name>} or {@code subnet.<name>}. */
  public static String key(AdmissionKind kind, String name) {
    return (kind == AdmissionKind.IPPOOL ? "ippool." : "subnet.") + name;
  }

  /** {@code data} without lapsed or unreadable claims, plus {@code claim} (replacing its own). */
  public static Map<String, String> record(Map<String, String> data, Claim claim, Instant now, Duration ttl) {
    Map<String, String> out = new TreeMap<>();
    for (Claim c : live(data, now, ttl)) {
      out.put(key(c.kind(), c.name()), encode(c));
    }
    out.put(key(claim.kind(), claim.name()), encode(claim));
    return out;
  }

  /** The claims that have not lapsed at {@code now}. */
  public static List<Claim> live(Map<String, String> data, Instant now, Duration ttl) {
    List<Claim> out = new ArrayList<>();
    if (data == null) {
      return out;
    }
    for (Map.Entry<String, String> e : data.entrySet()) {
      Claim c = decode(e.getKey(), e.getValue());
      if (c != null && c.admittedAt().plus(ttl).isAfter(now)) {
        out.add(c);
      }
    }
    return out;
  }

  /** The live claims as neighbours, described so that a rejection explains the wait. */
  public static List<Neighbour> neighbours(Map<String, String> data, Instant now, Duration ttl) {
    List<Neighbour> out = new ArrayList<>();
    for (Claim c : live(data, now, ttl)) {
      long ago = Math.max(0, Duration.between(c.admittedAt(), now).toSeconds());
      long left = Math.max(1, Duration.between(now, c.admittedAt().plus(ttl)).toSeconds());
      String note = ", admitted " + ago + "s ago and not stored yet (if its creation failed,"
          + " retry in " + left + "s, when this claim lapses)";
      out.add(new Neighbour(c.kind(), c.name(), c.subnet(), c.ips(), note));
    }
    return out;
  }

  static String encode(Claim c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subnet", c.subnet().toString());
    m.put("ips", c.ips().toStrings());
    m.put("admittedAt", c.admittedAt().toString());
    return JsonWriter.write(m);
  }

  /** The claim of one entry, or null for an entry that is not one (never fails). */
  static Claim decode(String key, String value) {
    AdmissionKind kind;
    if (key.startsWith("ippool.")) {
      kind = AdmissionKind.IPPOOL;
    } else if (key.startsWith("subnet.")) {
      kind = AdmissionKind.SUBNET;
    } else {
      return null;
    }
    try {
      Map<String, Object> m = JsonValues.asObject(JsonReader.parse(value), key);
      Cidr subnet = Cidr.parse(JsonValues.asString(m.get("subnet"), key + ".subnet"));
      RangeSet ips = RangeList.parse("ips", JsonValues.asStringList(m.get("ips"), key + ".ips"), subnet);
      Instant at = Instant.parse(JsonValues.asString(m.get("admittedAt"), key + ".admittedAt"));
      return new Claim(kind, key.substring(key.indexOf('.') + 1), subnet, ips, at);
    } catch (RuntimeException e) { // malformed JSON, CIDR, range or time: not a claim
      return null;
    }
  }
}
