package dev.breakwater.http.ratelimit;

import dev.breakwater.common.Env;

import java.util.Map;

/**
 * The limits, read once from the environment; docs/rate-limits.md gives the reasoning for each
 * default. A bad value fails startup with a message naming the variable.
 *
 * @param writes                request-rate quota per account for POST and PATCH
 * @param reads                 request-rate quota per account for GET
 * @param authFailures          failed authentications allowed per client address
 * @param maxInFlightPerAccount requests one account may have in flight at once
 * @param shedding              the node's capacity and the share of it each kind of request may use
 */
public record RateLimitConfig(RatePolicy writes, RatePolicy reads, RatePolicy authFailures,
                              int maxInFlightPerAccount, Shedding shedding) {

    public static final String WRITES = "writes";
    public static final String READS = "reads";
    public static final String AUTH_FAILURES = "auth-failures";

    public static final int DEFAULT_WRITES_QUOTA = 100;
    public static final int DEFAULT_WRITES_WINDOW_SECONDS = 1;
    public static final int DEFAULT_READS_QUOTA = 100;
    public static final int DEFAULT_READS_WINDOW_SECONDS = 1;
    public static final int DEFAULT_AUTH_FAILURES_QUOTA = 60;
    public static final int DEFAULT_AUTH_FAILURES_WINDOW_SECONDS = 60;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_ACCOUNT = 25;
    public static final int DEFAULT_NODE_CAPACITY = 250;
    public static final int DEFAULT_READS_SHARE_PERCENT = 60;
    public static final int DEFAULT_WRITES_SHARE_PERCENT = 80;

    public static final RateLimitConfig DEFAULTS = new RateLimitConfig(
            new RatePolicy(WRITES, DEFAULT_WRITES_QUOTA, DEFAULT_WRITES_WINDOW_SECONDS),
            new RatePolicy(READS, DEFAULT_READS_QUOTA, DEFAULT_READS_WINDOW_SECONDS),
            new RatePolicy(AUTH_FAILURES, DEFAULT_AUTH_FAILURES_QUOTA, DEFAULT_AUTH_FAILURES_WINDOW_SECONDS),
            DEFAULT_MAX_IN_FLIGHT_PER_ACCOUNT,
            new Shedding(DEFAULT_NODE_CAPACITY, DEFAULT_READS_SHARE_PERCENT, DEFAULT_WRITES_SHARE_PERCENT));

    /**
     * How many requests the node works on at once ({@code capacity}, all of which payment
     * creation, capture and refunds may use) and the percentage of it that reads and other
     * writes may use before they are shed.
     */
    public record Shedding(int capacity, int readsPercent, int writesPercent) {
        public Shedding {
            if (capacity < 1) {
                throw new IllegalArgumentException("BREAKWATER_SHED_CAPACITY must be at least 1, got " + capacity);
            }
            if (readsPercent < 1 || readsPercent > writesPercent || writesPercent > 100) {
                throw new IllegalArgumentException("BREAKWATER_SHED_READS_PERCENT and BREAKWATER_SHED_WRITES_PERCENT must satisfy "
                        + "1 <= reads <= writes <= 100, got " + readsPercent + " and " + writesPercent);
            }
        }

        /** In-flight requests beyond which reads are shed (at least one read always fits). */
        public int readLimit() {
            return Math.max(1, capacity * readsPercent / 100);
        }

        /** In-flight requests beyond which writes other than payments, captures and refunds are shed. */
        public int writeLimit() {
            return Math.max(1, capacity * writesPercent / 100);
        }
    }

    public RateLimitConfig {
        if (!writes.name().equals(WRITES) || !reads.name().equals(READS) || !authFailures.name().equals(AUTH_FAILURES)) {
            throw new IllegalArgumentException("rate policies must be named " + WRITES + ", " + READS + " and " + AUTH_FAILURES);
        }
        if (maxInFlightPerAccount < 1) {
            throw new IllegalArgumentException("BREAKWATER_RATELIMIT_MAX_IN_FLIGHT must be at least 1, got " + maxInFlightPerAccount);
        }
    }

    public static RateLimitConfig fromEnv(Map<String, String> env) {
        return fromEnv(new Env(env));
    }

    public static RateLimitConfig fromEnv(Env env) {
        return new RateLimitConfig(
                policy(env, WRITES, "BREAKWATER_RATELIMIT_WRITES", DEFAULT_WRITES_QUOTA, DEFAULT_WRITES_WINDOW_SECONDS),
                policy(env, READS, "BREAKWATER_RATELIMIT_READS", DEFAULT_READS_QUOTA, DEFAULT_READS_WINDOW_SECONDS),
                policy(env, AUTH_FAILURES, "BREAKWATER_RATELIMIT_AUTH_FAILURES", DEFAULT_AUTH_FAILURES_QUOTA,
                        DEFAULT_AUTH_FAILURES_WINDOW_SECONDS),
                env.integer("BREAKWATER_RATELIMIT_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT_PER_ACCOUNT),
                new Shedding(
                        env.integer("BREAKWATER_SHED_CAPACITY", DEFAULT_NODE_CAPACITY),
                        env.integer("BREAKWATER_SHED_READS_PERCENT", DEFAULT_READS_SHARE_PERCENT),
                        env.integer("BREAKWATER_SHED_WRITES_PERCENT", DEFAULT_WRITES_SHARE_PERCENT)));
    }

    public RateLimitConfig withWrites(int quota, int windowSeconds) {
        return new RateLimitConfig(new RatePolicy(WRITES, quota, windowSeconds), reads, authFailures, maxInFlightPerAccount, shedding);
    }

    public RateLimitConfig withReads(int quota, int windowSeconds) {
        return new RateLimitConfig(writes, new RatePolicy(READS, quota, windowSeconds), authFailures, maxInFlightPerAccount, shedding);
    }

    public RateLimitConfig withAuthFailures(int quota, int windowSeconds) {
        return new RateLimitConfig(writes, reads, new RatePolicy(AUTH_FAILURES, quota, windowSeconds), maxInFlightPerAccount, shedding);
    }

    public RateLimitConfig withMaxInFlightPerAccount(int limit) {
        return new RateLimitConfig(writes, reads, authFailures, limit, shedding);
    }

    public RateLimitConfig withShedding(int capacity, int readsPercent, int writesPercent) {
        return new RateLimitConfig(writes, reads, authFailures, maxInFlightPerAccount, new Shedding(capacity, readsPercent, writesPercent));
    }

    /** {@code <PREFIX>_QUOTA} requests per {@code <PREFIX>_WINDOW_SECONDS}. */
    private static RatePolicy policy(Env env, String name, String prefix, int quota, int window) {
        int q = env.integer(prefix + "_QUOTA", quota);
        int w = env.integer(prefix + "_WINDOW_SECONDS", window);
        try {
            return new RatePolicy(name, q, w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "_QUOTA / " + prefix + "_WINDOW_SECONDS: " + e.getMessage(), e);
        }
    }

}
