// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

/**
 * JSON merge patches applied to generated schemas, for rules fabric8's annotations cannot express
 * (used with {@code @SchemaCustomizer(MergePatchCustomizer.class)}).
 */
final class SchemaPatches {

  /**
   * {@code ipVersion} is an int64 enum {4, 6} in Spiderpool; fabric8 only generates string enums
   * from Java enums.
   */
  static final String IP_VERSION_ENUM = "{\"properties\":{\"ipVersion\":{\"enum\":[4,6]}}}";

  private SchemaPatches() {}
}
