package dev.breakwater.http.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-account concurrency limit across every node, as at Stripe: a Redis sorted set per
 * account whose members are the requests in flight, scored by their start time (Redis's clock).
 * One Lua script drops members older than {@link #SLOT_LIFETIME} (so the slots of a node that was
 * killed come back by themselves), then adds this request only if fewer than the limit remain;
 * {@link Permit#release()} removes it.
 * <p>
 * While Redis cannot be reached ({@link RedisLimits}) slots are counted on this node only, with
 * the limit divided by the number of nodes.
 */
public final class RedisConcurrencyStore implements ConcurrencyStore {
    static final String KEY_PREFIX = "bw:cc:";
    /**
     * Longer than any request may legitimately run (the processor timeout is 5 s, the JDK
     * server's response limit 60 s is for slow readers), so only a dead node's slots expire.
     */
    static final Duration SLOT_LIFETIME = Duration.ofSeconds(30);
    /** Returns 1 when the slot was taken. ARGV: limit, member, slot lifetime (ms). */
    private static final RedisLimits.Script TAKE = RedisLimits.Script.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lifetime = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lifetime)
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now, ARGV[2])
              redis.call('PEXPIRE', KEYS[1], lifetime)
              return 1
            end
            return 0
            """);
    private static final RedisLimits.Script RELEASE = RedisLimits.Script.of("""
            return redis.call('ZREM', KEYS[1], ARGV[1])
            """);

    private final RedisLimits redis;
    private final InMemoryConcurrencyStore alone = new InMemoryConcurrencyStore();
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();

    public RedisConcurrencyStore(RedisLimits redis) {
        this.redis = redis;
    }

    @Override
    public Permit tryAcquire(String key, int limit) {
        String redisKey = KEY_PREFIX + key;
        String member = node + ":" + sequence.incrementAndGet();
        Object taken = redis.eval(TAKE, List.of(redisKey),
                List.of(Integer.toString(limit), member, Long.toString(SLOT_LIFETIME.toMillis())));
        if (taken instanceof Long result) {
            return result == 1 ? () -> redis.eval(RELEASE, List.of(redisKey), List.of(member)) : null;
        }
        return alone.tryAcquire(key, Math.max(1, limit / redis.nodes()));
    }
}
