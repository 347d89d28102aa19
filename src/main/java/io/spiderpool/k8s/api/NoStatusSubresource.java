// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a custom resource whose {@code status} is part of the main resource, as in Spiderpool's
 * CRD: writers update the whole object, and a {@code /status} subresource must not exist (with it,
 * the API server would silently drop status changes made by a main-resource update).
 *
 * <p>fabric8's generator adds the subresource for every class with a {@code status} property;
 * {@code io.spiderpool.k8s.crd.SpiderpoolCrdPostProcessor} removes it for marked classes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NoStatusSubresource {}
