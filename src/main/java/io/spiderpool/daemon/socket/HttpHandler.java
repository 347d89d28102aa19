// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.socket;

import io.spiderpool.wire.HttpRequest;
import io.spiderpool.wire.HttpResponse;

/** Serves one request; an exception becomes a 500 whose body is the message as a JSON string. */
@FunctionalInterface
public interface HttpHandler {
  HttpResponse handle(HttpRequest request) throws Exception;
}
