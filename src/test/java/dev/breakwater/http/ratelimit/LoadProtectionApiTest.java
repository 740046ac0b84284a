package dev.breakwater.http.ratelimit;

import dev.breakwater.App;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static dev.breakwater.http.ratelimit.RateLimitApiTest.limit;
import static dev.breakwater.http.ratelimit.RateLimitApiTest.strings;
import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The concurrency limiter and the load shedder through the real server. Slow processor calls
 * are held at a gate the test opens, so "N requests in flight" is a fact, not a timing guess.
 */
class LoadProtectionApiTest {
    private static final String SLOW_PAYMENT = "{\"amount\": " + GatedProcessor.SLOW_AMOUNT
            + ", \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";
    private static final String FAST_PAYMENT = "{\"amount\": 1000, \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";
    private static final String CUSTOMER = "{\"name\": \"Ada\"}";

    private final AtomicReference<GatedProcessor> processor = new AtomicReference<>();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<ApiResponse>> held = new ArrayList<>();
    private TestApi api;

    @AfterEach
    void stop() throws Exception {
        GatedProcessor gate = processor.get();
        if (gate != null) {
            gate.open();
        }
        for (Future<ApiResponse> request : held) {
            request.get(30, TimeUnit.SECONDS);
        }
        background.shutdown();
        if (api != null) {
            api.close();
        }
    }

    @Test
    void concurrencyLimiterTripsWhileProcessorCallsAreSlow() throws Exception {
        start(limits -> limits.withMaxInFlightPerAccount(2).withWrites(50, 1));
        holdSlowPayments(KEY_A, 2);

        ApiResponse third = api.post("/v1/payments", KEY_A, FAST_PAYMENT);
        ApiResponse otherAccount = api.post("/v1/payments", KEY_B, FAST_PAYMENT);

        assertEquals(429, third.status(), third::toString);
        assertEquals("/problems/concurrency-limit-exceeded", third.problemType());
        assertEquals(List.of("concurrency"), strings(third.json().get("violated-policies")));
        assertEquals("1", third.header("Retry-After"));
        assertEquals("\"writes\";q=50;w=1, \"concurrency\";q=2;qu=\"concurrent-requests\"", third.header("RateLimit-Policy"));
        assertEquals(0, limit(third, "concurrency").remaining());
        assertEquals(201, otherAccount.status(), otherAccount::toString);

        releaseHeld(201);
        assertEquals(201, api.post("/v1/payments", KEY_A, FAST_PAYMENT).status());
    }

    /**
     * The order docs/status-codes.md and docs/idempotency.md promise: the concurrency limiter runs
     * before the Idempotency-Key is looked up, so a same-key retry while the account is at its
     * in-flight limit gets 429 (nothing stored), under the limit 409 (its first attempt still runs),
     * and once the first attempt finished the replay.
     */
    @Test
    void sameKeyRetryGets429AtTheInFlightLimitAnd409BelowIt() throws Exception {
        start(limits -> limits.withMaxInFlightPerAccount(3).withWrites(50, 1));
        held.add(background.submit(() -> api.post("/v1/payments", KEY_A, "order-7", SLOW_PAYMENT)));
        processor.get().awaitHeld(1);
        holdSlowPayments(KEY_A, 1);

        // two in flight, one slot left: the retry gets in, finds its key executing
        ApiResponse belowLimit = api.post("/v1/payments", KEY_A, "order-7", SLOW_PAYMENT);
        holdSlowPayments(KEY_A, 1);
        // three in flight: the retry is refused before its key is looked at
        ApiResponse atLimit = api.post("/v1/payments", KEY_A, "order-7", SLOW_PAYMENT);

        assertEquals(409, belowLimit.status(), belowLimit::toString);
        assertEquals("/problems/idempotency-key-in-use", belowLimit.problemType());
        assertEquals("1", belowLimit.header("Retry-After"));
        assertEquals(429, atLimit.status(), atLimit::toString);
        assertEquals("/problems/concurrency-limit-exceeded", atLimit.problemType());
        assertEquals(List.of("concurrency"), strings(atLimit.json().get("violated-policies")));
        assertEquals("1", atLimit.header("Retry-After"));

        releaseHeld(201);
        ApiResponse replay = api.post("/v1/payments", KEY_A, "order-7", SLOW_PAYMENT);
        assertEquals(201, replay.status(), replay::toString);
        assertEquals("true", replay.header("Idempotent-Replayed"));
    }

    @Test
    void shedderReturns503ForReadsBeforeItTouchesWrites() throws Exception {
        // Capacity 4: reads may use 2 slots, other writes 3, payments all 4.
        start(limits -> limits.withShedding(4, 50, 75));
        holdSlowPayments(KEY_A, 2);

        ApiResponse read = api.get("/v1/payments", KEY_B);
        ApiResponse customer = api.post("/v1/customers", KEY_B, CUSTOMER);
        ApiResponse payment = api.post("/v1/payments", KEY_B, FAST_PAYMENT);

        assertEquals(503, read.status(), read::toString);
        assertEquals("/problems/temporary-reduced-capacity", read.problemType());
        assertEquals(List.of("capacity"), strings(read.json().get("violated-policies")));
        assertTrue(Long.parseLong(read.header("Retry-After")) >= limit(read, "capacity").reset());
        assertEquals(201, customer.status(), customer::toString);
        assertEquals(201, payment.status(), payment::toString);

        holdSlowPayments(KEY_A, 1);

        ApiResponse shedWrite = api.post("/v1/customers", KEY_B, CUSTOMER);
        ApiResponse criticalStillServed = api.post("/v1/payments", KEY_B, FAST_PAYMENT);

        assertEquals(503, shedWrite.status(), shedWrite::toString);
        assertEquals(201, criticalStillServed.status(), criticalStillServed::toString);

        releaseHeld(201);
        assertEquals(200, api.get("/v1/payments", KEY_B).status());
    }

    private void start(UnaryOperator<RateLimitConfig> limits) {
        App.Seams seams = new App.Seams(Clock.systemUTC(), delegate -> {
            GatedProcessor gated = new GatedProcessor(delegate);
            processor.set(gated);
            return gated;
        }, System.out);
        api = TestApi.start(config -> config.withRateLimits(limits.apply(config.rateLimits())), seams);
    }

    private void holdSlowPayments(String key, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            held.add(background.submit(() -> api.post("/v1/payments", key, SLOW_PAYMENT)));
        }
        processor.get().awaitHeld(count);
    }

    private void releaseHeld(int expectedStatus) throws Exception {
        processor.get().open();
        for (Future<ApiResponse> request : held) {
            ApiResponse response = request.get(30, TimeUnit.SECONDS);
            assertEquals(expectedStatus, response.status(), response::toString);
        }
        held.clear();
    }
}
