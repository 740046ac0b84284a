package dev.breakwater.http.ratelimit;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import dev.breakwater.support.TestRedis;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes configured with one Redis (BREAKWATER_REDIS_URL) through the real servers: the
 * account's quota and concurrency limit are the fleet's, and with Redis down a node still answers
 * (its share of the quota, 429 + Retry-After beyond it), never a 5xx, and reports not ready.
 */
class SharedLimitsApiTest {
    private static final String CUSTOMER = "{\"name\": \"Ada\"}";
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void writeQuotaIsOneQuotaAcrossTwoNodes() {
        String secret = newSecret();
        UnaryOperator<AppConfig> shared = sharedRedis(secret, TestRedis.config(2), limits -> limits.withWrites(4, 60));
        try (TestApi a = TestApi.start(shared); TestApi b = TestApi.start(shared)) {
            for (int i = 0; i < 4; i++) {
                ApiResponse ok = (i % 2 == 0 ? a : b).post("/v1/customers", secret, CUSTOMER);
                assertEquals(201, ok.status(), ok::toString);
            }

            ApiResponse rejected = a.post("/v1/customers", secret, CUSTOMER);

            assertEquals(429, rejected.status(), "4 writes per 60 s for the account, not per node");
            assertEquals("/problems/quota-exceeded", rejected.problemType());
            assertEquals("\"writes\";q=4;w=60", rejected.header("RateLimit-Policy"));
            assertTrue(Long.parseLong(rejected.header("Retry-After")) >= 1, rejected::toString);
            assertEquals(429, b.post("/v1/customers", secret, CUSTOMER).status());
        }
    }

    @Test
    void concurrencyLimitIsOneLimitAcrossTwoNodes() throws Exception {
        String secret = newSecret();
        UnaryOperator<AppConfig> shared = sharedRedis(secret, TestRedis.config(2), limits -> limits.withMaxInFlightPerAccount(1));
        GatedProcessor[] gate = new GatedProcessor[1];
        App.Seams gated = new App.Seams(Clock.systemUTC(), p -> gate[0] = new GatedProcessor(p), QUIET);
        try (TestApi a = TestApi.start(shared, gated); TestApi b = TestApi.start(shared);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ApiResponse> held = pool.submit(() -> a.post("/v1/payments", secret, """
                    {"amount": %d, "currency": "usd", "payment_method": "pm_card_visa"}""".formatted(GatedProcessor.SLOW_AMOUNT)));
            gate[0].awaitHeld(1);

            ApiResponse rejected = b.get("/v1/payments", secret);

            assertEquals(429, rejected.status(), "the account's one slot is taken on the other node");
            assertEquals("/problems/concurrency-limit-exceeded", rejected.problemType());
            assertEquals("1", rejected.header("Retry-After"));
            gate[0].open();
            assertEquals(201, held.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, b.get("/v1/payments", secret).status(), "the slot came back when the request ended");
        }
    }

    @Test
    void withRedisDownANodeAdmitsItsShareAndAnswers429BeyondItNever5xx() {
        String secret = newSecret();
        RedisConfig down = new RedisConfig(closedPort(), Duration.ofMillis(100), 2);
        try (TestApi node = TestApi.start(sharedRedis(secret, down, limits -> limits.withWrites(4, 60)))) {
            for (int i = 0; i < 2; i++) {
                ApiResponse ok = node.post("/v1/customers", secret, CUSTOMER);
                assertEquals(201, ok.status(), ok::toString);
            }
            ApiResponse beyondShare = node.post("/v1/customers", secret, CUSTOMER);
            assertEquals(429, beyondShare.status(), "2 of 4 per node while each decides alone");
            assertEquals("/problems/quota-exceeded", beyondShare.problemType());
            assertNotNull(beyondShare.header("Retry-After"));

            ApiResponse ready = node.send(node.request("/health/ready").GET().build());
            assertEquals(503, ready.status(), "a node that cannot reach its Redis is taken out of the balancer");
            assertEquals("/problems/temporary-reduced-capacity", ready.problemType());
            assertEquals("down", ready.json().get("checks").get("redis").asText());
            assertEquals("up", ready.json().get("checks").get("store").asText());
            assertEquals("1", ready.header("Retry-After"));
        }
    }

    private static UnaryOperator<AppConfig> sharedRedis(String secret, RedisConfig redis, UnaryOperator<RateLimitConfig> limits) {
        // A fresh account per test: the nodes of one test share its Redis keys, other tests' keys differ.
        String account = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return config -> config.withApiKeys(Map.of(secret, account)).withRedis(redis)
                .withRateLimits(limits.apply(config.rateLimits()));
    }

    private static String newSecret() {
        return "sk_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static URI closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("redis://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
