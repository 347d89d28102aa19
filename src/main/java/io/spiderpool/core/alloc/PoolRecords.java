// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.alloc;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pool's allocation records, the codec of {@code status.allocatedIPs}: a JSON object keyed by
 * address (no prefix) → {@code {"pod":"ns/name","podUid":"uid"}}, absent when empty. Written with
 * keys sorted as Go's encoder sorts map keys, so our writes look like Spiderpool's. Fields we do
 * not know (older versions wrote {@code interface}) are dropped, as Spiderpool's current code does.
 */
public final class PoolRecords {
  private static final PoolRecords EMPTY = new PoolRecords(new TreeMap<>());

  private final TreeMap<String, PoolRecord> byIp;

  private PoolRecords(TreeMap<String, PoolRecord> byIp) {
    this.byIp = byIp;
  }

  public static PoolRecords empty() {
    return EMPTY;
  }

  /** Parses {@code status.allocatedIPs}; null or blank means no records. */
  public static PoolRecords parse(String json) {
    if (json == null || json.isBlank() || json.equals("null")) {
      return EMPTY;
    }
    Object tree = JsonReader.parse(json);
    if (tree == null) {
      return EMPTY;
    }
    Map<String, Object> obj = JsonValues.asObject(tree, "status.allocatedIPs");
    TreeMap<String, PoolRecord> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : obj.entrySet()) {
      String where = "status.allocatedIPs[" + e.getKey() + "]";
      if (IpAddress.tryParse(e.getKey()) == null) {
        throw new InvalidInputException(where + ": the key is not an IP address");
      }
      Map<String, Object> rec = JsonValues.asObject(e.getValue(), where);
      Object pod = rec.get("pod");
      Object uid = rec.get("podUid");
      out.put(e.getKey(), new PoolRecord(pod == null ? "" : JsonValues.asString(pod, where + ".pod"),
          uid == null ? "" : JsonValues.asString(uid, where + ".podUid")));
    }
    return new PoolRecords(out);
  }

  /** The JSON Spiderpool stores, or null when there are no records. */
  public String toJson() {
    if (byIp.isEmpty()) {
      return null;
    }
    Map<String, Object> obj = new LinkedHashMap<>();
    byIp.forEach((ip, r) -> {
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("pod", r.pod());
      rec.put("podUid", r.podUid());
      obj.put(ip, rec);
    });
    return JsonWriter.write(obj);
  }

  public int size() {
    return byIp.size();
  }

  public PoolRecord get(IpAddress ip) {
    return byIp.get(ip.toString());
  }

  /** Records in address-text order. */
  public Map<String, PoolRecord> asMap() {
    return Collections.unmodifiableMap(byIp);
  }

  /** Addresses held by a Pod UID. */
  public List<IpAddress> heldBy(String podUid) {
    List<IpAddress> out = new ArrayList<>();
    byIp.forEach((ip, r) -> {
      if (r.podUid().equals(podUid)) {
        out.add(IpAddress.parse(ip));
      }
    });
    return out;
  }

  /** The used addresses of one family as a range set (for the lowest-free search). */
  public RangeSet used(IpFamily family) {
    List<IpAddress> ips = new ArrayList<>(byIp.size());
    for (String ip : byIp.keySet()) {
      IpAddress a = IpAddress.parse(ip);
      if (a.family() == family) {
        ips.add(a);
      }
    }
    return RangeSet.ofAddresses(family, ips);
  }

  /** A copy with {@code ip} held by {@code record}. */
  public PoolRecords with(IpAddress ip, PoolRecord record) {
    TreeMap<String, PoolRecord> copy = new TreeMap<>(byIp);
    copy.put(ip.toString(), record);
    return new PoolRecords(copy);
  }

  /** A copy without {@code ip}. */
  public PoolRecords without(IpAddress ip) {
    TreeMap<String, PoolRecord> copy = new TreeMap<>(byIp);
    copy.remove(ip.toString());
    return new PoolRecords(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolRecords other && other.byIp.equals(byIp);
  }

  @Override
  public int hashCode() {
    return byIp.hashCode();
  }

  @Override
  public String toString() {
    return byIp.toString();
  }
}
