// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Map;

/**
 * What pool selection needs to know about one SpiderIPPool, independent of the CRD classes.
 * Affinity selectors are null when unset: Spiderpool applies a pool's affinity only when set.
 *
 * @param family {@code spec.ipVersion}, or null when unset (such a pool never matches)
 * @param subnet {@code spec.subnet}, or null if unknown; not used by selection
 * @param gateway {@code spec.gateway}, or null
 * @param terminating the pool has a deletion timestamp
 * @param labels the pool's labels; auto-created pools carry {@code
 *     ipam.spidernet.io/owner-application-name}
 */
public record PoolView(
    String name,
    IpFamily family,
    Cidr subnet,
    IpAddress gateway,
    boolean isDefault,
    boolean disabled,
    boolean terminating,
    LabelSelector podAffinity,
    LabelSelector namespaceAffinity,
    List<String> namespaceNames,
    LabelSelector nodeAffinity,
    List<String> nodeNames,
    List<String> multusNames,
    Map<String, String> labels) {

  /** Only auto-created pools carry this label (Spiderpool's IsAutoCreatedIPPool). */
  public static final String AUTO_POOL_LABEL = "ipam.spidernet.io/owner-application-name";

  public PoolView {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a pool needs a name");
    }
    namespaceNames = namespaceNames == null ? List.of() : List.copyOf(namespaceNames);
    nodeNames = nodeNames == null ? List.of() : List.copyOf(nodeNames);
    multusNames = multusNames == null ? List.of() : List.copyOf(multusNames);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Whether the SpiderSubnet controller created this pool for an application. */
  public boolean isAutoCreated() {
    return labels.containsKey(AUTO_POOL_LABEL);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a view field by field; unset fields are empty/false/null. */
  public static final class Builder {
    private final String name;
    private IpFamily family;
    private Cidr subnet;
    private IpAddress gateway;
    private boolean isDefault;
    private boolean disabled;
    private boolean terminating;
    private LabelSelector podAffinity;
    private LabelSelector namespaceAffinity;
    private List<String> namespaceNames;
    private LabelSelector nodeAffinity;
    private List<String> nodeNames;
    private List<String> multusNames;
    private Map<String, String> labels;

    private Builder(String name) {
      this.name = name;
    }

    public Builder family(IpFamily v) {
      family = v;
      return this;
    }

    /** Sets the subnet and, as the mutating webhook does, the family derived from it. */
    public Builder subnet(Cidr v) {
      subnet = v;
      family = v == null ? family : v.family();
      return this;
    }

    public Builder gateway(IpAddress v) {
      gateway = v;
      return this;
    }

    public Builder isDefault(boolean v) {
      isDefault = v;
      return this;
    }

    public Builder disabled(boolean v) {
      disabled = v;
      return this;
    }

    public Builder terminating(boolean v) {
      terminating = v;
      return this;
    }

    public Builder podAffinity(LabelSelector v) {
      podAffinity = v;
      return this;
    }

    public Builder namespaceAffinity(LabelSelector v) {
      namespaceAffinity = v;
      return this;
    }

    public Builder namespaceNames(List<String> v) {
      namespaceNames = v;
      return this;
    }

    public Builder nodeAffinity(LabelSelector v) {
      nodeAffinity = v;
      return this;
    }

    public Builder nodeNames(List<String> v) {
      nodeNames = v;
      return this;
    }

    public Builder multusNames(List<String> v) {
      multusNames = v;
      return this;
    }

    public Builder labels(Map<String, String> v) {
      labels = v;
      return this;
    }

    public PoolView build() {
      return new PoolView(
          name,
          family,
          subnet,
          gateway,
          isDefault,
          disabled,
          terminating,
          podAffinity,
          namespaceAffinity,
          namespaceNames,
          nodeAffinity,
          nodeNames,
          multusNames,
          labels);
    }
  }
}
