// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

/** The operation of an admission request ({@code CONNECT} never reaches these webhooks). */
public enum Operation {
  CREATE,
  UPDATE,
  DELETE
}
