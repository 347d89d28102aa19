// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

/** The kinds the webhooks admit, with the CIDR label each carries (none for reserved IPs). */
public enum AdmissionKind {
  IPPOOL("SpiderIPPool", "ipam.spidernet.io/ippool-cidr"),
  SUBNET("SpiderSubnet", "ipam.spidernet.io/subnet-cidr"),
  RESERVED_IP("SpiderReservedIP", null);

  private final String kindName;
  private final String cidrLabel;

  AdmissionKind(String kindName, String cidrLabel) {
    this.kindName = kindName;
    this.cidrLabel = cidrLabel;
  }

  /** The Kubernetes kind, as written in messages: {@code SpiderIPPool}. */
  public String kindName() {
    return kindName;
  }

  /** The label holding the encoded CIDR, or null. */
  public String cidrLabel() {
    return cidrLabel;
  }

  @Override
  public String toString() {
    return kindName;
  }
}
