package dev.breakwater.support;

import dev.breakwater.http.ratelimit.RedisConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.time.Duration;

/**
 * The Redis the limiter tests share, at {@code breakwater.test.redis.url} (default
 * {@value #DEFAULT_URL}; {@code .ci/run} starts it). Tests isolate themselves by account id, not
 * by flushing, so they may run against a Redis other runs use. Missing Redis: the test is
 * skipped, or fails under {@code CI=true} (see {@link TestStore#unavailable}).
 */
public final class TestRedis {
    static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    private TestRedis() {
    }

    public static URI url() {
        return URI.create(System.getProperty("breakwater.test.redis.url", DEFAULT_URL));
    }

    /** A config for {@code nodes} nodes sharing the test Redis, after checking that it answers. */
    public static RedisConfig config(int nodes) {
        URI url = url();
        try (Jedis jedis = new Jedis(url, 1_000)) {
            jedis.ping();
        } catch (JedisException e) {
            TestStore.unavailable("Redis at " + url + " (" + e.getMessage() + ")");
        }
        return new RedisConfig(url, RedisConfig.DEFAULT_TIMEOUT, nodes);
    }

    /** A direct connection, for tests that act on Redis itself (e.g. flush its scripts as a restart does). */
    public static Jedis connect() {
        return new Jedis(url(), 1_000);
    }
}
