// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.range.RangeList;
import io.spiderpool.core.range.RangeSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A subnet's {@code status.controlledIPPools}: pool name → the addresses carved out of the subnet
 * for it, and for an auto-created pool its application ({@link AppRef#key()}). Spiderpool's JSON:
 * {@code {"<pool>":{"ips":["10.0.0.10-10.0.0.12"],"application":"apps_v1_Deployment_ns_web"}}},
 * keys sorted as Go writes a map, absent (null) when no pool is controlled.
 *
 * <p>One field is ours: {@code releasing}, the addresses a shrinking pool still lists while its
 * new, smaller {@code ips} are written to it (docs/subnet.md, "Resizing"). They stay carved, so no
 * other pool can get them before this pool has dropped them. Spiderpool's decoder ignores the
 * field; it is written only between the two writes of a shrink.
 *
 * <p>Immutable.
 */
public final class ControlledPools {
  private static final ControlledPools EMPTY = new ControlledPools(new TreeMap<>());
  private final SortedMap<String, Entry> entries;

  private ControlledPools(SortedMap<String, Entry> entries) {
    this.entries = Collections.unmodifiableSortedMap(entries);
  }

  public static ControlledPools empty() {
    return EMPTY;
  }

  /**
   * One pool's record.
   *
   * @param ips addresses carved for the pool, ranges as in {@code spec.ips}
   * @param application the owning application of an auto-created pool, else null
   * @param releasing addresses the pool is giving back, still carved; empty when none
   */
  public record Entry(List<String> ips, String application, List<String> releasing) {
    public Entry {
      ips = List.copyOf(ips);
      releasing = releasing == null ? List.of() : List.copyOf(releasing);
    }

    /** A record with no addresses being given back. */
    public static Entry of(RangeSet ips, String application) {
      return new Entry(ips.toStrings(), application, List.of());
    }

    public RangeSet ips(IpFamily family) {
      return RangeList.parse("controlledIPPools ips", ips, family);
    }

    public RangeSet releasing(IpFamily family) {
      return RangeList.parse("controlledIPPools releasing", releasing, family);
    }

    /** Everything this entry keeps out of other pools' reach. */
    public RangeSet carved(IpFamily family) {
      return ips(family).union(releasing(family));
    }
  }

  /**
   * Parses the status field; null, blank and {@code null} mean nothing is controlled.
   *
   * @throws InvalidInputException when the text is not of Spiderpool's shape
   */
  public static ControlledPools parse(String json) {
    if (json == null || json.isBlank() || json.strip().equals("null")) {
      return EMPTY;
    }
    Object tree = JsonReader.parse(json);
    if (tree == null) {
      return EMPTY;
    }
    Map<String, Object> obj = JsonValues.asObject(tree, "status.controlledIPPools");
    TreeMap<String, Entry> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : obj.entrySet()) {
      String at = "status.controlledIPPools[" + e.getKey() + "]";
      Map<String, Object> rec = JsonValues.asObject(e.getValue(), at);
      Object app = JsonValues.field(rec, "application");
      out.put(
          e.getKey(),
          new Entry(
              JsonValues.asStringList(JsonValues.field(rec, "ips"), at + ".ips"),
              app == null ? null : JsonValues.asString(app, at + ".application"),
              JsonValues.asStringList(JsonValues.field(rec, "releasing"), at + ".releasing")));
    }
    return new ControlledPools(out);
  }

  /** The JSON to store, or null when no pool is controlled (Spiderpool then omits the field). */
  public String toJson() {
    if (entries.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("ips", e.getValue().ips());
      if (e.getValue().application() != null) {
        rec.put("application", e.getValue().application());
      }
      if (!e.getValue().releasing().isEmpty()) {
        rec.put("releasing", e.getValue().releasing());
      }
      out.put(e.getKey(), rec);
    }
    return JsonWriter.write(out);
  }

  public SortedMap<String, Entry> entries() {
    return entries;
  }

  public Optional<Entry> get(String pool) {
    return Optional.ofNullable(entries.get(pool));
  }

  public ControlledPools with(String pool, Entry entry) {
    TreeMap<String, Entry> next = new TreeMap<>(entries);
    next.put(pool, entry);
    return new ControlledPools(next);
  }

  public ControlledPools without(String pool) {
    if (!entries.containsKey(pool)) {
      return this;
    }
    TreeMap<String, Entry> next = new TreeMap<>(entries);
    next.remove(pool);
    return new ControlledPools(next);
  }

  /** Every address carved for a pool other than {@code pool} (null: for any pool). */
  public RangeSet carvedExcept(String pool, IpFamily family) {
    List<RangeSet> sets = new ArrayList<>();
    entries.forEach(
        (name, e) -> {
          if (!name.equals(pool)) {
            sets.add(e.carved(family));
          }
        });
    RangeSet all = RangeSet.empty(family);
    for (RangeSet s : sets) {
      all = all.union(s);
    }
    return all;
  }

  /**
   * Spiderpool's {@code allocatedIPCount} of a subnet: the addresses carved out, capped at 2^63-1.
   */
  public long carvedCount(IpFamily family) {
    return carvedExcept(null, family).sizeCapped();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlledPools c && c.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return String.valueOf(toJson());
  }
}
