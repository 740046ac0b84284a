package dev.breakwater.http.idempotency;

import dev.breakwater.common.Json;
import dev.breakwater.common.Sha256;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

/**
 * The one post-route step of every idempotent route: reads the Idempotency-Key (400 when it is
 * missing or malformed, before the body is validated, so that 400 never hides behind a
 * validation error), then the request's fingerprint (method, canonical path and the body in
 * canonical form, so neither formatting nor the API version the request came through counts), and records both on the request for {@link Idempotency}.
 * It runs after routing, so a POST to a path without one is a 405, not a missing-key 400.
 */
public final class IdempotencyKeyRequired implements Filter {
    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String key = IdempotencyKeyHeader.parse(request.headerValues(IdempotencyKeyHeader.NAME));
        request.keyed(key, fingerprint(request.method(), request.canonicalPath(), Json.canonical(request.json())));
        return next.handle(request);
    }

    static String fingerprint(String method, String path, String canonicalBody) {
        return Sha256.hex(method + " " + path + "\n", canonicalBody);
    }
}
