// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.spiderpool.k8s.api.schema.JsonMergePatchCustomizer;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link SpiderReservedIP}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ipVersion", "ips"})
@SchemaCustomizer(value = JsonMergePatchCustomizer.class, input = SchemaPatches.IP_VERSION_ENUM)
public class SpiderReservedIPSpec extends ModelObject {

  private Long ipVersion;

  private List<String> ips;

  /** 4 or 6; derived from the first entry of {@code ips} when absent; immutable. */
  public Long getIpVersion() {
    return ipVersion;
  }

  public void setIpVersion(Long ipVersion) {
    this.ipVersion = ipVersion;
  }

  /** Addresses and ranges ({@code a} or {@code a-b}) of that family. */
  public List<String> getIps() {
    return ips;
  }

  public void setIps(List<String> ips) {
    this.ips = ips;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiderReservedIPSpec s
        && Objects.equals(ipVersion, s.ipVersion)
        && Objects.equals(ips, s.ips)
        && sameAdditionalProperties(s);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ipVersion, ips, getAdditionalProperties());
  }

  @Override
  public String toString() {
    return "SpiderReservedIPSpec{ipVersion=" + ipVersion + ", ips=" + ips + "}";
  }
}
