package dev.breakwater.http.ratelimit;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The connection to the Redis that holds the fleet's shared limiter state, and the failure policy
 * for it: <b>fail open to this node's share</b>. Each decision is one Lua script, bounded by the
 * configured timeout (connect, read and waiting for a pooled connection alike). When a call fails,
 * Redis is considered down for {@link #RETRY_SPACING} and every decision meanwhile is made by the
 * caller's fallback in this process at once, with no Redis round trip, so an outage costs one
 * timeout per node per second, never one per request, and a request never waits past its deadline.
 * <p>
 * Fail open rather than closed because these are quotas, not money: the idempotency records and
 * the ledger live in the database either way, so a node deciding alone can at worst admit its
 * share of the quota per node (quota / nodes each, the whole quota across the fleet), while failing
 * closed would turn a cache outage into a 503 for every account.
 */
public final class RedisLimits implements AutoCloseable {
    /** How long after a failure the next call tries Redis again. */
    static final Duration RETRY_SPACING = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(RedisLimits.class.getName());
    private static final int MAX_CONNECTIONS = 64;

    private final JedisPool pool;
    private final RedisConfig config;
    private final LongSupplier nanoTime;
    private final AtomicLong downUntil = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean down;

    public RedisLimits(RedisConfig config) {
        this(config, System::nanoTime);
    }

    RedisLimits(RedisConfig config, LongSupplier nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(MAX_CONNECTIONS);
        poolConfig.setMaxIdle(MAX_CONNECTIONS);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(config.timeout());
        poolConfig.setBlockWhenExhausted(true);
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, config.url(), (int) config.timeout().toMillis());
    }

    /** How many nodes share each quota; a node deciding alone enforces {@code 1 / nodes} of it. */
    int nodes() {
        return config.nodes();
    }

    /** Whether Redis answers a PING now (for readiness). Does not change the failure state. */
    public boolean isReachable() {
        try (Jedis jedis = pool.getResource()) {
            return "PONG".equals(jedis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    /** Whether decisions are currently made without Redis (after a recent failure). */
    public boolean isFailingOpen() {
        return down && nanoTime.getAsLong() - downUntil.get() < 0;
    }

    /**
     * Runs the script in Redis; null when Redis is down or the call failed, in which case the
     * caller decides alone. A script Redis forgot (it restarted) is sent again in full.
     */
    Object eval(Script script, List<String> keys, List<String> args) {
        if (isFailingOpen()) {
            return null;
        }
        try (Jedis jedis = pool.getResource()) {
            Object result;
            try {
                result = jedis.evalsha(script.sha(), keys, args);
            } catch (JedisNoScriptException e) {
                result = jedis.eval(script.source(), keys, args);
            }
            if (down) {
                down = false;
                LOG.log(Level.WARNING, "Redis reachable again at " + config.url().getHost() + ":" + config.url().getPort()
                        + "; limits are shared across the fleet again");
            }
            return result;
        } catch (JedisException | IllegalStateException e) {
            markDown(e);
            return null;
        }
    }

    private void markDown(Exception cause) {
        downUntil.set(nanoTime.getAsLong() + RETRY_SPACING.toNanos());
        if (!down) {
            down = true;
            LOG.log(Level.WARNING, "Redis unavailable (" + cause.getMessage() + "); limiting with this node's share (1/"
                    + config.nodes() + " of each quota) until it answers again");
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A Lua script and its SHA-1, computed here so EVALSHA needs no SCRIPT LOAD round trip first. */
    record Script(String source, String sha) {
        static Script of(String source) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return new Script(source, java.util.HexFormat.of().formatHex(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
