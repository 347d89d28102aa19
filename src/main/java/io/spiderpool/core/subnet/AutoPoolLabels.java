// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.pool.TopController;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata keys of the SpiderSubnet feature, spelled as Spiderpool spells them, and the label
 * and podAffinity sets of an auto-created pool. A pool made by Spiderpool carries exactly these, so
 * either implementation finds the other's pools by the same label query.
 */
public final class AutoPoolLabels {
  private static final String P = "ipam.spidernet.io/";

  /** Every pool owned by a subnet: the subnet's name. */
  public static final String OWNER_SUBNET = P + "owner-spider-subnet";

  /** Auto-pool: the application's API version with "_" for "/" ({@code apps_v1}, {@code v1}). */
  public static final String OWNER_GV = P + "owner-application-gv";

  public static final String OWNER_KIND = P + "owner-application-kind";
  public static final String OWNER_NAMESPACE = P + "owner-application-namespace";

  /** Its presence makes a pool auto-created (Spiderpool's {@code IsAutoCreatedIPPool}). */
  public static final String OWNER_NAME = P + "owner-application-name";

  public static final String OWNER_UID = P + "owner-application-uid";

  /** Auto-pool: the Pod interface it serves. */
  public static final String INTERFACE = P + "interface";

  /** Auto-pool: {@code IPv4} or {@code IPv6}. */
  public static final String IP_VERSION = P + "ip-version";

  /** Auto-pool: {@code true} or {@code false}, copied from the Pod template's annotation. */
  public static final String RECLAIM = P + "ippool-reclaim";

  /** Every pool: the CIDR label value of {@code spec.subnet}. */
  public static final String POOL_CIDR = P + "ippool-cidr";

  /** Every subnet: the CIDR label value of {@code spec.subnet}. */
  public static final String SUBNET_CIDR = P + "subnet-cidr";

  /** Auto-pool annotation: the size rule it was made with, {@code "+N"} or {@code "N"}. */
  public static final String IP_NUMBER = P + "ippool-ip-number";

  /** The five podAffinity matchLabels of an auto-pool; nothing else may be in its selector. */
  public static final String APP_API_GROUP = P + "app-api-group";

  public static final String APP_API_VERSION = P + "app-api-version";
  public static final String APP_KIND = P + "app-kind";
  public static final String APP_NAMESPACE = P + "app-namespace";
  public static final String APP_NAME = P + "app-name";

  private AutoPoolLabels() {}

  /** {@code apps/v1} → {@code apps_v1}; {@code v1} stays {@code v1}. */
  public static String groupVersion(String apiVersion) {
    return apiVersion.replace('/', '_');
  }

  /** The application an auto-pool's labels name; empty when they name none. */
  public static Optional<AppRef> application(Map<String, String> labels) {
    String gv = labels.get(OWNER_GV);
    String kind = labels.get(OWNER_KIND);
    String ns = labels.get(OWNER_NAMESPACE);
    String name = labels.get(OWNER_NAME);
    if (gv == null || kind == null || ns == null || name == null) {
      return Optional.empty();
    }
    int cut = gv.indexOf('_');
    String apiVersion = cut < 0 ? gv : gv.substring(0, cut) + "/" + gv.substring(cut + 1);
    return Optional.of(new AppRef(apiVersion, kind, ns, name));
  }

  /** {@code IPv4} or {@code IPv6}. */
  public static String ipVersion(IpFamily family) {
    return family.toString();
  }

  /** The label query that finds an application's auto-pool of one interface and family. */
  public static Map<String, String> query(TopController app, String nic, IpFamily family) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(OWNER_GV, groupVersion(app.apiVersion()));
    m.put(OWNER_KIND, app.kind());
    m.put(OWNER_NAMESPACE, app.namespace());
    m.put(OWNER_NAME, app.name());
    m.put(IP_VERSION, ipVersion(family));
    m.put(INTERFACE, nic);
    return m;
  }

  /** Every label a new auto-pool carries. */
  public static Map<String, String> of(
      String subnet, Cidr cidr, TopController app, String nic, IpFamily family, boolean reclaim) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(POOL_CIDR, cidr.labelValue());
    m.put(OWNER_SUBNET, subnet);
    m.putAll(query(app, nic, family));
    m.put(OWNER_UID, app.uid());
    m.put(RECLAIM, Boolean.toString(reclaim));
    return m;
  }

  /**
   * The podAffinity matchLabels naming the application ({@code app-api-group} empty for core/v1).
   */
  public static Map<String, String> podAffinity(TopController app) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(APP_API_GROUP, app.group());
    m.put(APP_API_VERSION, app.version());
    m.put(APP_KIND, app.kind());
    m.put(APP_NAMESPACE, app.namespace());
    m.put(APP_NAME, app.name());
    return m;
  }

  /** The five keys, in Spiderpool's order. */
  public static List<String> podAffinityKeys() {
    return List.of(APP_API_GROUP, APP_API_VERSION, APP_KIND, APP_NAMESPACE, APP_NAME);
  }
}
