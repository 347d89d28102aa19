// SPDX-License-Identifier: Apache-2.0
/** Build-time adjustments of the CRDs generated from {@code io.spiderpool.k8s.api}. */
package io.spiderpool.k8s.crd;
