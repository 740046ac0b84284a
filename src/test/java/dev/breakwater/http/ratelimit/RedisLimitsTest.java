package dev.breakwater.http.ratelimit;

import dev.breakwater.support.TestRedis;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis-backed limiter stores against a real Redis, two instances standing for two nodes:
 * one quota and one concurrency limit across both; and the failure policy (fail open to this
 * node's share) when Redis is down, silent or restarted.
 */
class RedisLimitsTest {
    private static final long NOW = 0; // the Redis stores use Redis's clock; nowNanos only feeds the fallback

    @Test
    void quotaIsOneQuotaAcrossNodes() {
        RatePolicy policy = new RatePolicy("writes", 10, 60);
        String account = uniqueAccount();
        try (RedisLimits nodeA = new RedisLimits(TestRedis.config(2));
             RedisLimits nodeB = new RedisLimits(TestRedis.config(2))) {
            RateLimitStore a = new RedisRateLimitStore(nodeA);
            RateLimitStore b = new RedisRateLimitStore(nodeB);
            int allowed = 0;
            for (int i = 0; i < 30; i++) {
                if ((i % 2 == 0 ? a : b).acquire(policy, account, NOW).allowed()) {
                    allowed++;
                }
            }
            assertEquals(10, allowed, "10 per 60 s in total, not 10 per node");
            Decision rejected = b.acquire(policy, account, NOW);
            assertFalse(rejected.allowed());
            assertEquals(0, rejected.remaining());
            assertTrue(rejected.waitSeconds() >= 1 && rejected.waitSeconds() <= 6, "one interval is 6 s: " + rejected);
            assertFalse(nodeA.isFailingOpen());
        }
    }

    @Test
    void peekTakesNothing() {
        RatePolicy policy = new RatePolicy("reads", 3, 60);
        String account = uniqueAccount();
        try (RedisLimits redis = new RedisLimits(TestRedis.config(1))) {
            RateLimitStore store = new RedisRateLimitStore(redis);
            Decision fresh = store.peek(policy, account, NOW);
            assertEquals(new Decision(true, 3, 0), fresh);
            store.acquire(policy, account, NOW);
            assertEquals(2, store.peek(policy, account, NOW).remaining());
            assertEquals(2, store.peek(policy, account, NOW).remaining());
        }
    }

    @Test
    void concurrencyLimitIsOneLimitAcrossNodesAndReleasedSlotsComeBack() {
        String account = uniqueAccount();
        try (RedisLimits nodeA = new RedisLimits(TestRedis.config(2));
             RedisLimits nodeB = new RedisLimits(TestRedis.config(2))) {
            ConcurrencyStore a = new RedisConcurrencyStore(nodeA);
            ConcurrencyStore b = new RedisConcurrencyStore(nodeB);
            ConcurrencyStore.Permit first = a.tryAcquire(account, 2);
            ConcurrencyStore.Permit second = b.tryAcquire(account, 2);
            assertNotNull(first);
            assertNotNull(second);
            assertNull(a.tryAcquire(account, 2), "two in flight across both nodes: the third waits");
            assertNull(b.tryAcquire(account, 2));

            second.release();
            assertNotNull(a.tryAcquire(account, 2), "a released slot is free on any node");
        }
    }

    @Test
    void redisDownFailsOpenToThisNodesShareOfTheQuota() {
        RatePolicy policy = new RatePolicy("writes", 10, 60);
        RedisConfig down = new RedisConfig(closedRedisPort(), Duration.ofMillis(100), 2);
        try (RedisLimits redis = new RedisLimits(down)) {
            RateLimitStore store = new RedisRateLimitStore(redis);
            List<Decision> decisions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                decisions.add(store.acquire(policy, "acct_x", System.nanoTime()));
            }
            assertEquals(5, decisions.stream().filter(Decision::allowed).count(), "half of 10 on each of 2 nodes");
            assertTrue(decisions.get(7).waitNanos() > 0, "a rejection still says when to retry");
            assertTrue(redis.isFailingOpen());
            assertFalse(redis.isReachable());

            ConcurrencyStore slots = new RedisConcurrencyStore(redis);
            assertNotNull(slots.tryAcquire("acct_x", 4));
            assertNotNull(slots.tryAcquire("acct_x", 4));
            assertNull(slots.tryAcquire("acct_x", 4), "4 in flight over 2 nodes: 2 on this one");
        }
    }

    @Test
    void redisThatAcceptsButNeverAnswersCostsOneTimeoutThenDecidesLocally() throws IOException {
        RatePolicy policy = new RatePolicy("writes", 4, 60);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SilentServer ignored = SilentServer.accepting(silent);
             RedisLimits redis = new RedisLimits(new RedisConfig(URI.create("redis://127.0.0.1:" + silent.getLocalPort()),
                     Duration.ofMillis(100), 1))) {
            RateLimitStore store = new RedisRateLimitStore(redis);
            Decision first = store.acquire(policy, "acct_x", System.nanoTime());
            assertTrue(first.allowed(), "the read timed out, and the node decided alone");
            assertTrue(redis.isFailingOpen(), "no further calls wait on the silent server for a while");
            assertTrue(store.acquire(policy, "acct_x", System.nanoTime()).allowed());
        }
    }

    @Test
    void scriptsForgottenByARestartedRedisAreSentAgain() {
        RatePolicy policy = new RatePolicy("writes", 5, 60);
        String account = uniqueAccount();
        try (RedisLimits redis = new RedisLimits(TestRedis.config(1)); Jedis direct = TestRedis.connect()) {
            RateLimitStore store = new RedisRateLimitStore(redis);
            assertTrue(store.acquire(policy, account, NOW).allowed());

            direct.scriptFlush(); // what a restart does to the script cache

            Decision after = store.acquire(policy, account, NOW);
            assertTrue(after.allowed());
            assertEquals(3, after.remaining(), "the same shared bucket, not a fresh local one");
            assertFalse(redis.isFailingOpen());
        }
    }

    private static String uniqueAccount() {
        return "acct_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static URI closedRedisPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("redis://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Accepts connections and never writes a byte: a Redis that hangs. */
    private record SilentServer(Thread acceptor, List<Socket> held) implements AutoCloseable {
        static SilentServer accepting(ServerSocket socket) {
            List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            return new SilentServer(acceptor, held);
        }

        @Override
        public void close() throws IOException {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
