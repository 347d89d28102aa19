// SPDX-License-Identifier: Apache-2.0
/**
 * Admission rules for SpiderIPPool, SpiderSubnet and SpiderReservedIP, pure: the mutation ({@link
 * io.spiderpool.core.admission.Mutator}), the validation ({@link
 * io.spiderpool.core.admission.Validator}) and the claims that close the race of two overlapping
 * creates ({@link io.spiderpool.core.admission.ClaimBook}). The HTTPS server and the Kubernetes
 * reads live in {@code io.spiderpool.webhook}.
 */
package io.spiderpool.core.admission;
