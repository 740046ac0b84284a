package dev.breakwater.http.ratelimit;

/**
 * Where request-rate state lives, keyed by policy and partition (an account id, a client
 * address). {@link InMemoryRateLimitStore} keeps it in this process, which is exact for one node.
 *
 * <p>With several nodes the state must be shared, and this interface is the seam for a Redis
 * implementation. GCRA needs one number per key, the theoretical arrival time (TAT), so each
 * call is one atomic round trip: an {@code EVALSHA} of a short Lua script over
 * {@code KEYS[1] = "rl:" + policy.name() + ":" + key} with the policy's interval and quota as
 * arguments, which reads the TAT, computes the decision exactly as
 * {@link InMemoryRateLimitStore} does, writes the new TAT with {@code SET ... PX <debt in ms>}
 * (so a full bucket expires by itself and Redis needs no sweeper) and returns
 * {@code {allowed, remaining, wait}}. The script takes "now" from {@code redis.call('TIME')}
 * rather than from {@code nowNanos}, so node clocks never need to agree; {@code nowNanos}
 * exists for the in-memory store and its tests. If Redis is unreachable the filters should
 * fail open (allow, log, count) rather than turn a cache outage into an API outage.
 */
public interface RateLimitStore {

    /** Takes one unit of the policy's quota for {@code key} if one is available. */
    Decision acquire(RatePolicy policy, String key, long nowNanos);

    /** What {@link #acquire} would answer now, without taking anything. */
    Decision peek(RatePolicy policy, String key, long nowNanos);
}
