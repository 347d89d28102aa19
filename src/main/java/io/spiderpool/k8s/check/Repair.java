// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.check;

/**
 * What {@link ConsistencyChecker#fix} did about one inconsistency.
 *
 * @param target the inconsistency
 * @param applied whether a write was made
 * @param action what was written, or why nothing was (the state changed since the check, say)
 */
public record Repair(Inconsistency target, boolean applied, String action) {}
