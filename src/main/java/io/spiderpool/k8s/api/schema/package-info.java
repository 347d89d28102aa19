// SPDX-License-Identifier: Apache-2.0
/**
 * Build-time helpers for the CRD schemas of {@code io.spiderpool.k8s.api}: schema-only stand-ins
 * and a JSON merge-patch customizer, referenced from the model's annotations. Depends on nothing
 * else in the project (so {@code k8s.api} → {@code k8s.api.schema} and {@code k8s.crd} → {@code
 * k8s.api} form no cycle); nothing here is loaded at run time.
 */
package io.spiderpool.k8s.api.schema;
