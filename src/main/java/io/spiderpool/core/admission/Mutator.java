// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.core.range.RangeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mutating webhook's defaults, as Spiderpool's: finalizer, {@code ipVersion} derived from the
 * subnet (or a reserved IP's first entry), the CIDR label, {@code ips}/{@code excludeIPs} merged
 * and sorted. It never refuses: what it cannot understand it leaves as written, and the validating
 * webhook then rejects it with a message that says what to change.
 */
public final class Mutator {
  /** The finalizer Spiderpool puts on pools and subnets. */
  public static final String FINALIZER = "spiderpool.spidernet.io";

  private Mutator() {}

  public static Mutation mutate(AdmissionObject obj) {
    if (obj.terminating()) {
      return Mutation.NONE;
    }
    return obj.kind() == AdmissionKind.RESERVED_IP ? reservedIp(obj.spec()) : withSubnet(obj);
  }

  private static Mutation reservedIp(AddressSpec spec) {
    IpFamily family = knownFamily(spec.ipVersion());
    Long version = null;
    if (family == null && spec.ips() != null && !spec.ips().isEmpty()) {
      IpRange first = tryRange(spec.ips().get(0));
      if (first != null && spec.ipVersion() == null) {
        family = first.family();
        version = (long) family.version();
      }
    }
    List<String> ips = family == null ? null : merged(spec.ips(), family);
    return new Mutation(version, null, ips, null, Map.of(), null);
  }

  private static Mutation withSubnet(AdmissionObject obj) {
    AddressSpec spec = obj.spec();
    String finalizer = obj.finalizers().contains(FINALIZER) ? null : FINALIZER;
    Cidr.Prefixed written = tryPrefixed(spec.subnet());
    IpFamily family = knownFamily(spec.ipVersion());
    Long version = null;
    if (spec.ipVersion() == null && written != null) {
      family = written.address().family();
      version = (long) family.version();
    }
    String subnet = null;
    Map<String, String> labels = Map.of();
    if (written != null && written.cidr().network().equals(written.address())) {
      Cidr canonical = written.cidr();
      if (!canonical.toString().equals(spec.subnet())) {
        subnet = canonical.toString();
      }
      String label = obj.kind().cidrLabel();
      if (!canonical.labelValue().equals(obj.labels().get(label))) {
        labels = Map.of(label, canonical.labelValue());
      }
    }
    List<String> ips = family == null ? null : merged(spec.ips(), family);
    List<String> excludes = family == null ? null : merged(spec.excludeIps(), family);
    return new Mutation(version, subnet, ips, excludes, labels, finalizer);
  }

  /** The merged, sorted list, or null when it is already so or has an entry we cannot parse. */
  private static List<String> merged(List<String> entries, IpFamily family) {
    if (entries == null) {
      return null;
    }
    List<IpRange> ranges = new ArrayList<>(entries.size());
    for (String e : entries) {
      IpRange r = tryRange(e);
      if (r == null || r.family() != family) {
        return null;
      }
      ranges.add(r);
    }
    List<String> out = RangeSet.of(family, ranges).toStrings();
    return out.equals(entries) ? null : out;
  }

  private static IpFamily knownFamily(Long version) {
    if (version == null || (version != 4 && version != 6)) {
      return null;
    }
    return IpFamily.ofVersion(version);
  }

  private static IpRange tryRange(String text) {
    try {
      return IpRange.parse(text);
    } catch (InvalidInputException e) {
      return null;
    }
  }

  private static Cidr.Prefixed tryPrefixed(String text) {
    try {
      return Cidr.parsePrefixed(text);
    } catch (InvalidInputException e) {
      return null;
    }
  }
}
