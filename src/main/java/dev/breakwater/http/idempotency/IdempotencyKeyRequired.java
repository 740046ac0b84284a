package dev.breakwater.http.idempotency;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

/**
 * Rejects a POST without a well-formed Idempotency-Key before its body is even parsed, so the
 * 400 for a missing key never hides behind a validation error.
 */
public final class IdempotencyKeyRequired implements Filter {
    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (request.method().equals("POST")) {
            IdempotencyKeyHeader.parse(request.headerValues(IdempotencyKeyHeader.NAME));
        }
        return next.handle(request);
    }
}
