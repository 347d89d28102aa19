// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import io.spiderpool.core.admission.AdmissionKind;
import io.spiderpool.core.admission.AdmissionObject;
import java.util.List;

/**
 * The stored pools and subnets the overlap rules compare against. Read fresh from the API server
 * for each admission that needs them (a CREATE, or an UPDATE of the address space): admissions
 * are rare, and a cache would add a staleness window on top of the race the claims close.
 */
public interface ClusterObjects {
  /** Every stored object of {@code kind} ({@link AdmissionKind#IPPOOL} or {@link AdmissionKind#SUBNET}). */
  List<AdmissionObject> list(AdmissionKind kind);
}
