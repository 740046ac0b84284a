package dev.breakwater.http.ratelimit;

/**
 * Where the count of requests in flight per key (an account) lives.
 * {@link InMemoryConcurrencyStore} keeps it in this process.
 *
 * <p>Shared across nodes this is, as at Stripe, a Redis sorted set per key whose members are
 * request ids scored by start time: a Lua script drops members older than the longest
 * legitimate request (so a crashed node's slots come back by themselves), then adds this
 * request's id only if {@code ZCARD < limit}; {@link Permit#release()} is a {@code ZREM}.
 */
public interface ConcurrencyStore {

    /** Takes one of {@code limit} slots for {@code key}; null when all are taken. */
    Permit tryAcquire(String key, int limit);

    /** A slot held by one request; release it exactly once, when the request ends. */
    interface Permit {
        void release();
    }
}
