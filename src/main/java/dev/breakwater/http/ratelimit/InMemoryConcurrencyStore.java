package dev.breakwater.http.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One counter per key, taken with compare-and-set so a key never goes over its limit even for
 * a moment. The counter is its own permit, so admitting a request allocates nothing. Counters
 * are never removed: keys are authenticated accounts, a bounded set.
 */
public final class InMemoryConcurrencyStore implements ConcurrencyStore {
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public Permit tryAcquire(String key, int limit) {
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> new Counter());
        }
        return counter.tryIncrement(limit) ? counter : null;
    }

    /** Requests in flight for a key now (for tests and metrics). */
    int inFlight(String key) {
        Counter counter = counters.get(key);
        return counter == null ? 0 : counter.get();
    }

    private static final class Counter extends AtomicInteger implements Permit {
        boolean tryIncrement(int limit) {
            while (true) {
                int current = get();
                if (current >= limit) {
                    return false;
                }
                if (compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        @Override
        public void release() {
            decrementAndGet();
        }
    }
}
