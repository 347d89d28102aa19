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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.BinaryOperator;

/**
 * A pool's allocation records, the codec of {@code status.allocatedIPs}: a JSON object keyed by
 * address (no prefix) → {@code {"pod":"ns/name","podUid":"uid"}}, absent when empty. Written with
 * keys sorted as Go's encoder sorts map keys, so our writes look like Spiderpool's. Fields we do
 * not know (older versions wrote {@code interface}) are dropped, as Spiderpool's current code does.
 *
 * <p>Immutable. Parsing is memoised per text: every informer, indexer and committer of one process
 * that looks at the same pool version shares one parse (a 1000-record pool is ~150 kB of JSON). The
 * memo holds its keys weakly, so an entry lives only while some cached pool object still holds that
 * text. The used-address sets are computed once per instance and carried forward by {@link #with}
 * and {@link #without}, so a batch of allocations does not re-parse every address.
 */
public final class PoolRecords {
  private static final PoolRecords EMPTY = new PoolRecords(new TreeMap<>());
  private static final Map<String, PoolRecords> PARSED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final TreeMap<String, PoolRecord> byIp;

  /**
   * Lazily computed {@link #used} per family (index = ordinal); a benign race at worst computes
   * twice.
   */
  private final RangeSet[] used = new RangeSet[IpFamily.values().length];

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
    PoolRecords known = PARSED.get(json);
    if (known != null) {
      return known;
    }
    PoolRecords parsed = parseText(json);
    PARSED.put(json, parsed);
    return parsed;
  }

  private static PoolRecords parseText(String json) {
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
      out.put(
          e.getKey(),
          new PoolRecord(
              pod == null ? "" : JsonValues.asString(pod, where + ".pod"),
              uid == null ? "" : JsonValues.asString(uid, where + ".podUid")));
    }
    return new PoolRecords(out);
  }

  /** The JSON Spiderpool stores, or null when there are no records. */
  public String toJson() {
    if (byIp.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(byIp.size() * 96);
    out.append('{');
    for (Map.Entry<String, PoolRecord> e : byIp.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      JsonWriter.appendString(out, e.getKey());
      out.append(":{\"pod\":");
      JsonWriter.appendString(out, e.getValue().pod());
      out.append(",\"podUid\":");
      JsonWriter.appendString(out, e.getValue().podUid());
      out.append('}');
    }
    return out.append('}').toString();
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
    byIp.forEach(
        (ip, r) -> {
          if (r.podUid().equals(podUid)) {
            out.add(IpAddress.parse(ip));
          }
        });
    return out;
  }

  /** The used addresses of one family as a range set (for the lowest-free search). */
  public RangeSet used(IpFamily family) {
    RangeSet known = used[family.ordinal()];
    if (known == null) {
      known = computeUsed(family);
      used[family.ordinal()] = known;
    }
    return known;
  }

  private RangeSet computeUsed(IpFamily family) {
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
    boolean added = copy.put(ip.toString(), record) == null;
    return derived(copy, ip, added, RangeSet::union);
  }

  /** A copy without {@code ip}. */
  public PoolRecords without(IpAddress ip) {
    TreeMap<String, PoolRecord> copy = new TreeMap<>(byIp);
    boolean removed = copy.remove(ip.toString()) != null;
    return derived(copy, ip, removed, RangeSet::minus);
  }

  /**
   * The records {@code copy}, with this instance's used set of {@code ip}'s family carried over by
   * {@code change}.
   */
  private PoolRecords derived(
      TreeMap<String, PoolRecord> copy,
      IpAddress ip,
      boolean changed,
      BinaryOperator<RangeSet> change) {
    PoolRecords next = new PoolRecords(copy);
    int family = ip.family().ordinal();
    RangeSet known = used[family];
    if (known != null) {
      next.used[family] =
          changed ? change.apply(known, RangeSet.ofAddresses(ip.family(), List.of(ip))) : known;
    }
    return next;
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
