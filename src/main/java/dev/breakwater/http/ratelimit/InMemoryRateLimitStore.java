package dev.breakwater.http.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GCRA (the generic cell rate algorithm, a token bucket kept as a single timestamp) in this
 * process. Per key it stores the theoretical arrival time (TAT): the moment the bucket would be
 * full again. A request is allowed when taking one more interval of "debt" keeps the debt within
 * the policy's quota; the update is one compare-and-set, so the hot path takes no lock and
 * allocates nothing once a key exists.
 *
 * <p>Keys whose bucket is full again carry no information, so when a table grows past
 * {@link #SWEEP_THRESHOLD} keys they are dropped (at most once per second). That bounds memory
 * when keys are client addresses; account keys are bounded by the number of accounts anyway.
 */
public final class InMemoryRateLimitStore implements RateLimitStore {
    static final int SWEEP_THRESHOLD = 10_000;
    private static final long SWEEP_SPACING_NANOS = 1_000_000_000L;

    private final Map<RatePolicy, Table> tables = new ConcurrentHashMap<>();

    @Override
    public Decision acquire(RatePolicy policy, String key, long nowNanos) {
        Table table = table(policy);
        AtomicLong tat = table.tats.get(key);
        if (tat == null) {
            table.sweepIfLarge(nowNanos);
            tat = table.tats.computeIfAbsent(key, k -> new AtomicLong(nowNanos));
        }
        long interval = policy.intervalNanos();
        long capacity = interval * policy.quota();
        while (true) {
            long current = tat.get();
            long debt = Math.max(0, current - nowNanos);
            long headroom = capacity - debt;
            long available = headroom / interval;
            long untilNextUnit = interval - headroom % interval;
            if (available == 0) {
                return new Decision(false, 0, untilNextUnit);
            }
            if (tat.compareAndSet(current, nowNanos + debt + interval)) {
                return new Decision(true, available - 1, untilNextUnit);
            }
        }
    }

    @Override
    public Decision peek(RatePolicy policy, String key, long nowNanos) {
        Table table = tables.get(policy);
        AtomicLong tat = table == null ? null : table.tats.get(key);
        long interval = policy.intervalNanos();
        long capacity = interval * policy.quota();
        long debt = tat == null ? 0 : Math.max(0, tat.get() - nowNanos);
        long headroom = capacity - debt;
        long available = headroom / interval;
        long wait = available == policy.quota() ? 0 : interval - headroom % interval;
        return new Decision(available > 0, available, wait);
    }

    /** Number of keys held for a policy (for tests and metrics). */
    int size(RatePolicy policy) {
        Table table = tables.get(policy);
        return table == null ? 0 : table.tats.size();
    }

    private Table table(RatePolicy policy) {
        Table table = tables.get(policy);
        return table != null ? table : tables.computeIfAbsent(policy, p -> new Table());
    }

    private static final class Table {
        final Map<String, AtomicLong> tats = new ConcurrentHashMap<>();
        final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

        /**
         * Drops keys whose bucket is full. A request racing with the removal may update a TAT
         * that is then dropped, which forgives at most that one request: fine for a limiter.
         */
        void sweepIfLarge(long nowNanos) {
            long last = lastSweep.get();
            if (tats.size() < SWEEP_THRESHOLD
                    || (last != Long.MIN_VALUE && nowNanos - last < SWEEP_SPACING_NANOS)
                    || !lastSweep.compareAndSet(last, nowNanos)) {
                return;
            }
            tats.values().removeIf(tat -> tat.get() - nowNanos <= 0);
        }
    }
}
