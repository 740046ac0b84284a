package dev.breakwater.http.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GCRA arithmetic on a clock the test moves by hand: no sleeping, no timing assumptions. */
class InMemoryRateLimitStoreTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    /** 4 per second: one unit comes back every 250 ms. */
    private static final RatePolicy FOUR_PER_SECOND = new RatePolicy("writes", 4, 1);

    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();
    private long now = 123_456_789L * SECOND;

    @Test
    void fullQuotaIsAvailableAsABurstThenRequestsAreRejected() {
        for (int expectedRemaining = 3; expectedRemaining >= 0; expectedRemaining--) {
            Decision decision = store.acquire(FOUR_PER_SECOND, "acct_a", now);
            assertTrue(decision.allowed());
            assertEquals(expectedRemaining, decision.remaining());
        }

        Decision rejected = store.acquire(FOUR_PER_SECOND, "acct_a", now);

        assertFalse(rejected.allowed());
        assertEquals(0, rejected.remaining());
        assertEquals(250 * MS, rejected.waitNanos());
        assertEquals(1, rejected.waitSeconds());
    }

    @Test
    void quotaComesBackOneUnitPerIntervalNotAllAtOnce() {
        drain(FOUR_PER_SECOND, "acct_a");

        now += 249 * MS;
        Decision early = store.acquire(FOUR_PER_SECOND, "acct_a", now);
        now += MS;
        Decision onTime = store.acquire(FOUR_PER_SECOND, "acct_a", now);
        Decision next = store.acquire(FOUR_PER_SECOND, "acct_a", now);

        assertFalse(early.allowed());
        assertEquals(MS, early.waitNanos());
        assertTrue(onTime.allowed());
        assertEquals(0, onTime.remaining());
        assertFalse(next.allowed());
        assertEquals(250 * MS, next.waitNanos());
    }

    @Test
    void rejectedRequestsTakeNothingSoWaitingTheAnnouncedTimeAlwaysSucceeds() {
        drain(FOUR_PER_SECOND, "acct_a");
        Decision first = store.acquire(FOUR_PER_SECOND, "acct_a", now);
        for (int i = 0; i < 100; i++) {
            store.acquire(FOUR_PER_SECOND, "acct_a", now);
        }

        now += first.waitNanos();

        assertTrue(store.acquire(FOUR_PER_SECOND, "acct_a", now).allowed());
    }

    @Test
    void anIdleKeyRefillsToTheQuotaAndNoFurther() {
        drain(FOUR_PER_SECOND, "acct_a");

        now += 10 * SECOND;

        Decision peek = store.peek(FOUR_PER_SECOND, "acct_a", now);
        assertTrue(peek.allowed());
        assertEquals(4, peek.remaining());
        assertEquals(0, peek.waitNanos());
        assertEquals(3, store.acquire(FOUR_PER_SECOND, "acct_a", now).remaining());
    }

    @Test
    void waitOfAnAllowedRequestIsTheTimeUntilTheNextUnitReturns() {
        Decision first = store.acquire(FOUR_PER_SECOND, "acct_a", now);
        now += 100 * MS;
        Decision second = store.acquire(FOUR_PER_SECOND, "acct_a", now);

        assertEquals(250 * MS, first.waitNanos());
        assertEquals(150 * MS, second.waitNanos());
        assertEquals(2, second.remaining());
        assertEquals(1, second.waitSeconds());
    }

    @Test
    void keysAndPoliciesAreIndependent() {
        RatePolicy reads = new RatePolicy("reads", 4, 1);
        drain(FOUR_PER_SECOND, "acct_a");

        assertTrue(store.acquire(FOUR_PER_SECOND, "acct_b", now).allowed());
        assertTrue(store.acquire(reads, "acct_a", now).allowed());
    }

    @Test
    void peekTakesNothing() {
        for (int i = 0; i < 10; i++) {
            assertTrue(store.peek(FOUR_PER_SECOND, "acct_a", now).allowed());
        }
        assertEquals(3, store.acquire(FOUR_PER_SECOND, "acct_a", now).remaining());
        assertEquals(3, store.peek(FOUR_PER_SECOND, "acct_a", now).remaining());
    }

    @Test
    void longWindowsAnnounceWholeSecondsRoundedUp() {
        RatePolicy perMinute = new RatePolicy("auth-failures", 3, 60);
        drain(perMinute, "10.0.0.1");

        now += 500 * MS;
        Decision rejected = store.acquire(perMinute, "10.0.0.1", now);

        assertFalse(rejected.allowed());
        assertEquals(19_500 * MS, rejected.waitNanos());
        assertEquals(20, rejected.waitSeconds());
    }

    @Test
    void fullBucketsAreSweptOnceATableIsLarge() {
        RatePolicy perAddress = new RatePolicy("auth-failures", 2, 1);
        for (int i = 0; i < InMemoryRateLimitStore.SWEEP_THRESHOLD; i++) {
            store.acquire(perAddress, "10.0." + i, now);
        }
        assertEquals(InMemoryRateLimitStore.SWEEP_THRESHOLD, store.size(perAddress));

        now += 2 * SECOND;
        store.acquire(perAddress, "192.0.2.1", now);

        assertEquals(1, store.size(perAddress));
    }

    @Test
    void nanoTimeMayBeNegative() {
        now = -5 * SECOND;
        drain(FOUR_PER_SECOND, "acct_a");
        now += 250 * MS;
        assertTrue(store.acquire(FOUR_PER_SECOND, "acct_a", now).allowed());
    }

    private void drain(RatePolicy policy, String key) {
        for (int i = 0; i < policy.quota(); i++) {
            assertTrue(store.acquire(policy, key, now).allowed());
        }
    }
}
