package dev.breakwater.observability;

import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * One finished request reduced to what logs, metrics and JFR may see: labels with bounded
 * values, the outcomes other filters noted, and no header or body content (so no secret can
 * leak through them) apart from a problem response's {@code type}.
 *
 * @param route      the route template (also for requests a filter answered before routing), or
 *                   {@link #UNMATCHED} for a 404/405
 * @param method     the HTTP method, or {@code OTHER} for a method no route uses
 * @param idempotency {@code new|resumed|replayed|conflict|mismatch}, null when not an idempotent POST
 * @param rateLimit  {@code allowed|rejected:<policy>|concurrency|shed}, null when not rate limited
 */
record CompletedRequest(String requestId, Instant timestamp, String method, String route, int status,
                        long latencyNanos, String account, String idempotency, String rateLimit, String problemType) {
    static final String UNMATCHED = "unmatched";
    static final String CONCURRENCY_POLICY = "concurrency";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    static CompletedRequest of(Request request, Response response, String route, Instant now, long nowNanos) {
        String method = request.method() == null ? "OTHER" : request.method().toUpperCase(Locale.ROOT);
        var notes = request.notes();
        return new CompletedRequest(request.requestId(), now, METHODS.contains(method) ? method : "OTHER", route,
                response.status(), nowNanos - request.startNanos(), request.accountId(), notes.get("idempotency"),
                notes.get("ratelimit"), response.problemType());
    }

    /** 2xx, 4xx...: what the request-rate panels group by. */
    String statusClass() {
        return (status / 100) + "xx";
    }

    /** The policy a 429 was given for: the named policy, or {@code concurrency}; null when not throttled. */
    String throttledBy() {
        if (rateLimit == null) {
            return null;
        }
        if (rateLimit.startsWith("rejected:")) {
            String policy = rateLimit.substring("rejected:".length());
            return policy.isEmpty() ? "unnamed" : policy;
        }
        return rateLimit.equals(CONCURRENCY_POLICY) ? CONCURRENCY_POLICY : null;
    }

    boolean shed() {
        return "shed".equals(rateLimit);
    }

}
