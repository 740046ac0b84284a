package dev.breakwater.http.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GCRA in Redis: one quota per key across every node. The state is the same single number as in
 * {@link InMemoryRateLimitStore}, the theoretical arrival time (TAT), in microseconds of Redis's
 * own clock ({@code TIME}), so node clocks never need to agree; each decision is one Lua script,
 * atomic in Redis, that reads the TAT, decides and writes the new TAT with an expiry equal to the
 * debt (a full bucket leaves no key behind).
 * <p>
 * While Redis cannot be reached ({@link RedisLimits}) the decision is made by an in-memory store
 * on this node with the policy's quota divided by the number of nodes: each node admits its share.
 */
public final class RedisRateLimitStore implements RateLimitStore {
    static final String KEY_PREFIX = "bw:rl:";
    /** Returns {allowed (0/1), remaining, wait in microseconds}. ARGV: interval (µs), quota, take (1) or peek (0). */
    private static final RedisLimits.Script GCRA = RedisLimits.Script.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local quota = tonumber(ARGV[2])
            local capacity = interval * quota
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local headroom = capacity - (tat - now)
            local available = math.floor(headroom / interval)
            local untilNext = interval - (headroom % interval)
            if ARGV[3] == '0' then
              local wait = 0
              if available < quota then wait = untilNext end
              if available > 0 then return {1, available, wait} end
              return {0, 0, wait}
            end
            if available <= 0 then return {0, 0, untilNext} end
            local newTat = tat + interval
            redis.call('SET', KEYS[1], string.format('%d', newTat), 'PX', math.ceil((newTat - now) / 1000))
            return {1, available - 1, untilNext}
            """);

    private final RedisLimits redis;
    private final InMemoryRateLimitStore alone = new InMemoryRateLimitStore();
    private final Map<RatePolicy, RatePolicy> shares = new ConcurrentHashMap<>();

    public RedisRateLimitStore(RedisLimits redis) {
        this.redis = redis;
    }

    @Override
    public Decision acquire(RatePolicy policy, String key, long nowNanos) {
        Decision shared = run(policy, key, true);
        return shared != null ? shared : alone.acquire(share(policy), key, nowNanos);
    }

    @Override
    public Decision peek(RatePolicy policy, String key, long nowNanos) {
        Decision shared = run(policy, key, false);
        return shared != null ? shared : alone.peek(share(policy), key, nowNanos);
    }

    private Decision run(RatePolicy policy, String key, boolean take) {
        Object result = redis.eval(GCRA, List.of(KEY_PREFIX + policy.name() + ":" + key),
                List.of(Long.toString(policy.intervalNanos() / 1_000), Integer.toString(policy.quota()), take ? "1" : "0"));
        if (!(result instanceof List<?> values) || values.size() != 3) {
            return null;
        }
        return new Decision(((Long) values.get(0)) == 1, (Long) values.get(1), (Long) values.get(2) * 1_000);
    }

    /** This node's share of a policy, used while Redis is down: the quota over the node count, at least 1. */
    RatePolicy share(RatePolicy policy) {
        return shares.computeIfAbsent(policy, p -> {
            int quota = Math.max(1, p.quota() / redis.nodes());
            return new RatePolicy(p.name(), quota, p.windowSeconds());
        });
    }
}
