package dev.breakwater.http.ratelimit;

import dev.breakwater.http.Request;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.List;
import java.util.Map;

/**
 * What every limiter here says, in one place: the {@code RateLimit-Policy} and
 * {@code RateLimit} members (draft-ietf-httpapi-ratelimit-headers-10) it attaches to the
 * response, the outcome it notes for logs and metrics, and the problems it throws.
 */
final class Throttling {
    static final String POLICY_HEADER = "RateLimit-Policy";
    static final String LIMIT_HEADER = "RateLimit";
    /** The request note read by access logs and metrics, with the values below or {@code rejected:<policy>}. */
    static final String NOTE = "ratelimit";
    static final String ALLOWED = "allowed";
    static final String CONCURRENCY = "concurrency";
    static final String SHED = "shed";
    static final String CONCURRENT_REQUESTS = "qu=\"concurrent-requests\"";

    private Throttling() {
    }

    /**
     * Attaches a policy and its current limit to the response, however the request ends. Several
     * limiters may each attach theirs; the members form one list per header.
     */
    static void advertise(Request request, String policyMember, String limitMember) {
        request.addResponseHeader(POLICY_HEADER, policyMember);
        request.addResponseHeader(LIMIT_HEADER, limitMember);
    }

    /** A {@code RateLimit} member: {@code "writes";r=3;t=1}. */
    static String limitMember(String policyName, long remaining, long waitSeconds) {
        return '"' + policyName + "\";r=" + remaining + ";t=" + waitSeconds;
    }

    static ProblemException quotaExceeded(RatePolicy policy, long retryAfterSeconds) {
        return new ProblemException(ProblemType.QUOTA_EXCEEDED,
                "Quota '" + policy.name() + "' (" + policy.quota() + " requests per " + policy.windowSeconds()
                        + " s) is used up. Retry after " + retryAfterSeconds + " s; RateLimit shows what remains.",
                List.of(), Map.of("violated-policies", List.of(policy.name())),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static ProblemException concurrencyExceeded(String policyName, int limit, long retryAfterSeconds) {
        return new ProblemException(ProblemType.CONCURRENCY_LIMIT_EXCEEDED,
                "This account already has " + limit + " requests in flight. Retry after " + retryAfterSeconds
                        + " s, or send fewer requests at once.",
                List.of(), Map.of("violated-policies", List.of(policyName)),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static ProblemException reducedCapacity(String policyName, long retryAfterSeconds) {
        return new ProblemException(ProblemType.TEMPORARY_REDUCED_CAPACITY,
                "The server is at capacity and is shedding lower-priority requests first. Retry after "
                        + retryAfterSeconds + " s.",
                List.of(), Map.of("violated-policies", List.of(policyName)),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
