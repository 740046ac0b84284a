package dev.breakwater.http.ratelimit;

import dev.breakwater.common.Env;

import java.net.URI;
import java.time.Duration;

/**
 * Where the shared rate-limit and concurrency state lives when several nodes serve one API.
 *
 * @param url     {@code redis://[user:password@]host:port[/db]}
 * @param timeout how long one limiter decision may wait for Redis before the node decides alone
 * @param nodes   how many nodes share the quotas: while Redis cannot be reached each node enforces
 *                its share, {@code quota / nodes} (at least 1), so the fleet stays near the quota
 */
public record RedisConfig(URI url, Duration timeout, int nodes) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);

    public RedisConfig {
        if (url == null || !("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("BREAKWATER_REDIS_URL must look like redis://host:6379, got '" + url + "'");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > 5_000) {
            throw new IllegalArgumentException("BREAKWATER_REDIS_TIMEOUT_MS must be 1-5000, got " + timeout.toMillis());
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("BREAKWATER_CLUSTER_NODES must be at least 1, got " + nodes);
        }
    }

    /** Null when {@code BREAKWATER_REDIS_URL} is not set: limits then live in each node's memory. */
    public static RedisConfig fromEnv(Env env) {
        String url = env.string("BREAKWATER_REDIS_URL", null);
        int timeoutMs = env.integer("BREAKWATER_REDIS_TIMEOUT_MS", (int) DEFAULT_TIMEOUT.toMillis());
        int nodes = env.integer("BREAKWATER_CLUSTER_NODES", 1);
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BREAKWATER_REDIS_URL must look like redis://host:6379, got '" + url + "'");
        }
        return new RedisConfig(uri, Duration.ofMillis(timeoutMs), nodes);
    }

    /** The URL without its password, for logs. */
    @Override
    public String toString() {
        return "RedisConfig[url=" + url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + ", timeout="
                + timeout.toMillis() + "ms, nodes=" + nodes + "]";
    }
}
