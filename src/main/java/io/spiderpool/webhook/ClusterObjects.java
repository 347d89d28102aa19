// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import java.util.List;
import java.util.Optional;

/**
 * The stored pools and subnets the overlap rules compare against. Read fresh from the API server
 * for each admission that needs them (a CREATE, or an UPDATE of the address space): admissions are
 * rare, and a cache would add a staleness window on top of the race the claims close.
 */
public interface ClusterObjects {
  /**
   * Every stored object of {@code kind} ({@link AdmissionKind#IPPOOL} or {@link
   * AdmissionKind#SUBNET}).
   */
  List<AdmissionObject> list(AdmissionKind kind);

  /**
   * The stored object's {@code resourceVersion}, or null when it does not exist. The default looks
   * through {@link #list} and reports a fixed version, enough for fakes; the API server adapter
   * reads the object.
   */
  default String resourceVersion(AdmissionKind kind, String name) {
    return list(kind).stream().anyMatch(o -> o.name().equals(name)) ? "stored" : null;
  }

  /**
   * The stored object, read fresh; empty when it does not exist. The default looks through {@link
   * #list}.
   */
  default Optional<AdmissionObject> get(AdmissionKind kind, String name) {
    return list(kind).stream().filter(o -> o.name().equals(name)).findFirst();
  }
}
