package dev.breakwater.storm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    /** A "random" source that always picks the top of the range, so the jitter ceiling is visible. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static RetryPolicy polite() {
        return RetryPolicy.polite(5, Duration.ofMillis(100), Duration.ofMillis(1000), () -> HIGHEST);
    }

    @Test
    void retriesNoAnswerConflictsRateLimitsAndServerErrorsButNotFinalAnswers() {
        for (int status : new int[] {409, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.retryable(new RetryPolicy.Outcome(status, null)), "retry " + status);
        }
        assertTrue(RetryPolicy.retryable(RetryPolicy.Outcome.noAnswer()));
        for (int status : new int[] {200, 201, 400, 401, 402, 404, 422}) {
            assertFalse(RetryPolicy.retryable(new RetryPolicy.Outcome(status, null)), "do not retry " + status);
        }
    }

    @Test
    void stormRetriesAtOnceAndIgnoresRetryAfter() {
        RetryPolicy storm = RetryPolicy.storm(3);

        assertEquals(Optional.of(Duration.ZERO), storm.next(1, new RetryPolicy.Outcome(429, "30")));
        assertEquals(Optional.of(Duration.ZERO), storm.next(2, RetryPolicy.Outcome.noAnswer()));
        assertEquals(Optional.empty(), storm.next(3, new RetryPolicy.Outcome(503, "1")), "out of attempts");
        assertEquals(Optional.empty(), storm.next(1, new RetryPolicy.Outcome(201, null)));
    }

    @Test
    void politeBacksOffExponentiallyWithFullJitterUpToTheCap() {
        RetryPolicy polite = polite();
        RetryPolicy.Outcome error = new RetryPolicy.Outcome(502, null);

        assertEquals(Optional.of(Duration.ofMillis(100)), polite.next(1, error));
        assertEquals(Optional.of(Duration.ofMillis(200)), polite.next(2, error));
        assertEquals(Optional.of(Duration.ofMillis(800)), polite.next(4, error));
        assertEquals(Optional.of(Duration.ofMillis(1000)),
                RetryPolicy.polite(10, Duration.ofMillis(100), Duration.ofMillis(1000), () -> HIGHEST).next(8, error));
        assertEquals(Optional.empty(), polite.next(5, error), "out of attempts");
    }

    @Test
    void politeNeverRetriesBeforeRetryAfterAndSpreadsRetriesBeyondIt() {
        RetryPolicy polite = polite();

        assertEquals(Optional.of(Duration.ofMillis(2100)), polite.next(1, new RetryPolicy.Outcome(429, "2")));
        RetryPolicy lowest = RetryPolicy.polite(5, Duration.ofMillis(100), Duration.ofMillis(1000),
                () -> new RandomGenerator() {
                    @Override
                    public long nextLong() {
                        return 0;
                    }

                    @Override
                    public long nextLong(long bound) {
                        return 0;
                    }
                });
        assertEquals(Optional.of(Duration.ofSeconds(2)), lowest.next(1, new RetryPolicy.Outcome(429, "2")));
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDateAndIgnoresGarbage() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryPolicy.retryAfter(" 7 "));
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(Optional.empty(), RetryPolicy.retryAfter("soon"));
        assertEquals(Optional.empty(), RetryPolicy.retryAfter("-3"));
        assertEquals(Optional.empty(), RetryPolicy.retryAfter(null));
    }
}
