package dev.breakwater.http.ratelimit;

/**
 * What a {@link RateLimitStore} answered for one request.
 *
 * @param allowed   whether the request may proceed (a unit of quota was taken, or could be)
 * @param remaining units still available right after this decision
 * @param waitNanos time until more quota becomes available: when rejected, the earliest moment
 *                  a retry can succeed; zero only when the quota is full
 */
public record Decision(boolean allowed, long remaining, long waitNanos) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * {@link #waitNanos} in whole seconds, rounded up so that a client waiting this long is never
     * early: the {@code t} of {@code RateLimit} and, on a rejection, {@code Retry-After}.
     */
    public long waitSeconds() {
        return (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
