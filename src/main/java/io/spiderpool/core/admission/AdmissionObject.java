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
 */
public record AdmissionObject(
    AdmissionKind kind,
    String name,
    Map<String, String> labels,
    List<String> finalizers,
    boolean terminating,
    AddressSpec spec,
    String allocatedIps,
    long allocatedIpCount) {

  public AdmissionObject {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    finalizers = finalizers == null ? List.of() : List.copyOf(finalizers);
  }

  /** A live object without status (tests, new objects). */
  public static AdmissionObject of(AdmissionKind kind, String name, AddressSpec spec) {
    return new AdmissionObject(kind, name, Map.of(), List.of(), false, spec, null, 0);
  }

  public AdmissionObject withSpec(AddressSpec s) {
    return new AdmissionObject(kind, name, labels, finalizers, terminating, s, allocatedIps, allocatedIpCount);
  }

  public AdmissionObject withStatus(String allocated, long count) {
    return new AdmissionObject(kind, name, labels, finalizers, terminating, spec, allocated, count);
  }

  public AdmissionObject withMetadata(Map<String, String> l, List<String> f, boolean term) {
    return new AdmissionObject(kind, name, l, f, term, spec, allocatedIps, allocatedIpCount);
  }
}
