package dev.breakwater.storm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * How a client retries one POST, always with the same Idempotency-Key: the one policy shared by
 * the Gatling simulations and the bounded storm test, so both load the server the same way.
 * <p>
 * Retryable: no answer (timeout, connection error), 409 (key in flight), 429 and every 5xx, as
 * the Stripe and AWS SDKs do. A {@link Style#STORM} client retries at once and ignores
 * Retry-After; a {@link Style#POLITE} one waits at least Retry-After and spreads its retries with
 * full-jitter exponential backoff ({@code random(0, min(cap, base * 2^(attempt-1)))}).
 */
public final class RetryPolicy {
    public enum Style { STORM, POLITE }

    /** What one attempt got back: a status with its Retry-After header, or no answer at all. */
    public record Outcome(int status, String retryAfter) {
        public static final int NO_ANSWER = 0;

        public static Outcome noAnswer() {
            return new Outcome(NO_ANSWER, null);
        }

        public boolean answered() {
            return status != NO_ANSWER;
        }
    }

    private final Style style;
    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Supplier<RandomGenerator> random;

    private RetryPolicy(Style style, int maxAttempts, Duration base, Duration cap, Supplier<RandomGenerator> random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.style = style;
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** Retries at once, ignoring Retry-After, up to {@code maxAttempts} attempts in all. */
    public static RetryPolicy storm(int maxAttempts) {
        return new RetryPolicy(Style.STORM, maxAttempts, Duration.ZERO, Duration.ZERO, ThreadLocalRandom::current);
    }

    /** Honours Retry-After and backs off with full jitter from {@code base}, never waiting more than {@code cap} plus Retry-After. */
    public static RetryPolicy polite(int maxAttempts, Duration base, Duration cap) {
        return polite(maxAttempts, base, cap, ThreadLocalRandom::current);
    }

    static RetryPolicy polite(int maxAttempts, Duration base, Duration cap, Supplier<RandomGenerator> random) {
        return new RetryPolicy(Style.POLITE, maxAttempts, base, cap, random);
    }

    public Style style() {
        return style;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public static boolean retryable(Outcome outcome) {
        int status = outcome.status();
        return !outcome.answered() || status == 409 || status == 429 || status >= 500;
    }

    /**
     * After attempt number {@code attempt} (from 1) got {@code outcome}: how long to wait before
     * the next attempt, or empty to stop (success, a final answer, or out of attempts).
     */
    public Optional<Duration> next(int attempt, Outcome outcome) {
        if (!retryable(outcome) || attempt >= maxAttempts) {
            return Optional.empty();
        }
        if (style == Style.STORM) {
            return Optional.of(Duration.ZERO);
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        long jitter = ceiling <= 0 ? 0 : random.get().nextLong(ceiling + 1);
        Duration backoff = Duration.ofMillis(jitter);
        return Optional.of(retryAfter(outcome.retryAfter()).map(after -> after.plus(backoff)).orElse(backoff));
    }

    /** Retry-After as delta-seconds or an HTTP-date (RFC 9110 section 10.2.3); empty if absent or unreadable. */
    static Optional<Duration> retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
