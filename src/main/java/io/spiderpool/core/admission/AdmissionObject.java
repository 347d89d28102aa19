// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import java.util.List;
import java.util.Map;

/**
 * What the admission rules need of one object of an {@link AdmissionKind}.
 *
 * @param labels {@code metadata.labels}, empty when absent
 * @param finalizers {@code metadata.finalizers}, empty when absent
 * @param terminating whether {@code metadata.deletionTimestamp} is set
 * @param allocatedIps {@code status.allocatedIPs} of a pool (JSON, may be null)
 * @param allocatedIpCount {@code status.allocatedIPCount} (0 when absent)
 * @param podAffinityLabels a pool's {@code spec.podAffinity.matchLabels}; null when it has no
 *     podAffinity
 * @param podAffinityExpressions how many {@code matchExpressions} its podAffinity has
 * @param controlledIpPools a subnet's {@code status.controlledIPPools} (JSON, may be null)
 */
public record AdmissionObject(
    AdmissionKind kind,
    String name,
    Map<String, String> labels,
    List<String> finalizers,
    boolean terminating,
    AddressSpec spec,
    String allocatedIps,
    long allocatedIpCount,
    Map<String, String> podAffinityLabels,
    int podAffinityExpressions,
    String controlledIpPools) {

  public AdmissionObject {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
    podAffinityLabels = podAffinityLabels == null ? null : Map.copyOf(podAffinityLabels);
  }

  /** Without the SpiderSubnet feature's fields. */
  public AdmissionObject(
      AdmissionKind kind,
      String name,
      Map<String, String> labels,
      List<String> finalizers,
      boolean terminating,
      AddressSpec spec,
      String allocatedIps,
      long allocatedIpCount) {
    this(
        kind,
        name,
        labels,
        finalizers,
        terminating,
        spec,
        allocatedIps,
        allocatedIpCount,
        null,
        0,
        null);
  }

  /** A live object without status (tests, new objects). */
  public static AdmissionObject of(AdmissionKind kind, String name, AddressSpec spec) {
    return new AdmissionObject(kind, name, Map.of(), List.of(), false, spec, null, 0);
  }

  public AdmissionObject withSpec(AddressSpec s) {
    return new AdmissionObject(
        kind,
        name,
        labels,
        finalizers,
        terminating,
        s,
        allocatedIps,
        allocatedIpCount,
        podAffinityLabels,
        podAffinityExpressions,
        controlledIpPools);
  }

  public AdmissionObject withStatus(String allocated, long count) {
    return new AdmissionObject(
        kind,
        name,
        labels,
        finalizers,
        terminating,
        spec,
        allocated,
        count,
        podAffinityLabels,
        podAffinityExpressions,
        controlledIpPools);
  }

  public AdmissionObject withMetadata(Map<String, String> l, List<String> f, boolean term) {
    return new AdmissionObject(
        kind,
        name,
        l,
        f,
        term,
        spec,
        allocatedIps,
        allocatedIpCount,
        podAffinityLabels,
        podAffinityExpressions,
        controlledIpPools);
  }

  /** A pool with this podAffinity ({@code matchLabels} null: none). */
  public AdmissionObject withPodAffinity(Map<String, String> matchLabels, int expressions) {
    return new AdmissionObject(
        kind,
        name,
        labels,
        finalizers,
        terminating,
        spec,
        allocatedIps,
        allocatedIpCount,
        matchLabels,
        expressions,
        controlledIpPools);
  }

  /** A subnet whose status records {@code controlled}. */
  public AdmissionObject withControlledIpPools(String controlled) {
    return new AdmissionObject(
        kind,
        name,
        labels,
        finalizers,
        terminating,
        spec,
        allocatedIps,
        allocatedIpCount,
        podAffinityLabels,
        podAffinityExpressions,
        controlled);
  }
}
