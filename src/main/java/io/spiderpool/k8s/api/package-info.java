// SPDX-License-Identifier: Apache-2.0
/**
 * fabric8 model of Spiderpool's custom resources ({@code spiderpool.spidernet.io/v2beta1}), field
 * for field as Spiderpool's Go types; the CRDs are generated from these classes (docs/crds.md).
 * Model only: no logic beyond accessors.
 */
package io.spiderpool.k8s.api;
