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
 * The claims of pools and subnets being admitted, kept as the string map of one coordination object
 * (a ConfigMap's {@code data}) that every daemon updates by compare-and-set. Spiderpool's webhook
 * lists the other pools without any lock, so two overlapping pools admitted at the same moment both
 * get in (docs/webhooks.md). Here an admission records its claim first, with the next sequence
 * number, then validates against the stored objects and waits for the claims recorded
 * <em>before</em> its own: each of them ends by its object being stored (then the stored object
 * decides) or by lapsing.
 *
 * <p>A claim lives only as long as one admission request can: the admitting daemon removes it as
 * soon as the object is stored, an object's DELETE removes it, and any reader ignores it after the
 * TTL. Lapsed and unreadable entries are dropped whenever a claim is written.
 */
public final class ClaimBook {
  private ClaimBook() {}

  /** The data key of a claim: {@code ippool.<name>} or {@code subnet.<name>}. */
  public static String key(AdmissionKind kind, String name) {
    return (kind == AdmissionKind.IPPOOL ? "ippool." : "subnet.") + name;
  }

  /** The sequence number the next recorded claim gets: above every claim in {@code data}. */
  public static long nextSeq(Map<String, String> data) {
    long max = 0;
    if (data != null) {
      for (Map.Entry<String, String> e : data.entrySet()) {
        Claim c = decode(e.getKey(), e.getValue());
        if (c != null) {
          max = Math.max(max, c.seq());
        }
      }
    }
    return max + 1;
  }

  /** {@code data} without lapsed or unreadable claims, plus {@code claim} (replacing its own). */
  public static Map<String, String> record(
      Map<String, String> data, Claim claim, Instant now, Duration ttl) {
    Map<String, String> out = pruned(data, now, ttl);
    out.put(key(claim.kind(), claim.name()), encode(claim));
    return out;
  }

  /**
   * {@code data} without lapsed or unreadable claims and without the claim of {@code kind/name}, if
   * it is the one numbered {@code seq} (any, when {@code seq} is 0): a newer claim of the same
   * object, from a retried create, stays.
   */
  public static Map<String, String> remove(
      Map<String, String> data,
      AdmissionKind kind,
      String name,
      long seq,
      Instant now,
      Duration ttl) {
    Map<String, String> out = pruned(data, now, ttl);
    String k = key(kind, name);
    Claim c = out.containsKey(k) ? decode(k, out.get(k)) : null;
    if (c != null && (seq == 0 || c.seq() == seq)) {
      out.remove(k);
    }
    return out;
  }

  /** Whether {@code data} holds the claim of {@code kind/name} numbered {@code seq}. */
  public static boolean holds(Map<String, String> data, AdmissionKind kind, String name, long seq) {
    String k = key(kind, name);
    Claim c = data == null || !data.containsKey(k) ? null : decode(k, data.get(k));
    return c != null && c.seq() == seq;
  }

  private static Map<String, String> pruned(Map<String, String> data, Instant now, Duration ttl) {
    Map<String, String> out = new TreeMap<>();
    for (Claim c : live(data, now, ttl)) {
      out.put(key(c.kind(), c.name()), encode(c));
    }
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

  /**
   * The live claims recorded before {@code mine} (all live claims when {@code mine} is null), as
   * neighbours whose description says the object is being admitted and when the claim lapses. The
   * claim of the same object is never one: it is a retry of the same create.
   */
  public static List<Neighbour> before(
      Map<String, String> data, Claim mine, Instant now, Duration ttl) {
    List<Neighbour> out = new ArrayList<>();
    for (Claim c : live(data, now, ttl)) {
      if (mine != null
          && (c.seq() >= mine.seq() || (c.kind() == mine.kind() && c.name().equals(mine.name())))) {
        continue;
      }
      long ago = Math.max(0, Duration.between(c.admittedAt(), now).toSeconds());
      long left = Math.max(1, Duration.between(now, c.admittedAt().plus(ttl)).toSeconds());
      String note =
          ", which a create or update admitted "
              + ago
              + "s ago is storing right now (if that"
              + " request fails, its claim lapses in "
              + left
              + "s: retry then)";
      out.add(new Neighbour(c.kind(), c.name(), c.subnet(), c.ips(), note));
    }
    return out;
  }

  static String encode(Claim c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subnet", c.subnet().toString());
    m.put("ips", c.ips().toStrings());
    m.put("admittedAt", c.admittedAt().toString());
    m.put("seq", c.seq());
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
      RangeSet ips =
          RangeList.parse("ips", JsonValues.asStringList(m.get("ips"), key + ".ips"), subnet);
      Instant at = Instant.parse(JsonValues.asString(m.get("admittedAt"), key + ".admittedAt"));
      long seq = m.get("seq") instanceof Long n ? n : 0;
      return new Claim(kind, key.substring(key.indexOf('.') + 1), subnet, ips, at, seq);
    } catch (RuntimeException e) { // malformed JSON, CIDR, range or time: not a claim
      return null;
    }
  }
}
