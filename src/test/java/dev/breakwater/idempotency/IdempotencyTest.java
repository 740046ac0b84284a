package dev.breakwater.idempotency;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.http.ratelimit.RateLimitConfig;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.ProcessorException;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.ForwardingProcessor;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.MutableClock;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdempotencyTest {
    private static final String VISA = """
            {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}""";
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void secondPostWithSameKeyReplaysFirstResultByteForByte() {
        try (TestApi api = TestApi.start()) {
            ApiResponse first = api.post("/v1/payments", KEY_A, "key-1", VISA);
            ApiResponse second = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(201, first.status());
            assertNull(first.header("Idempotent-Replayed"));
            assertEquals(201, second.status());
            assertEquals("true", second.header("Idempotent-Replayed"));
            assertEquals(first.body(), second.body());
            assertEquals(first.header("Location"), second.header("Location"));
            assertNotEquals(first.header("Request-Id"), second.header("Request-Id"));
            assertEquals(1, new Ledger(api.app().dataSource()).payments());
        }
    }

    @Test
    void keyOrderAndWhitespaceDoNotChangeTheFingerprint() {
        try (TestApi api = TestApi.start()) {
            api.post("/v1/payments", KEY_A, "key-1", VISA);
            ApiResponse reordered = api.post("/v1/payments", KEY_A, "key-1", """
                    {  "payment_method" : "pm_card_visa",
                       "currency": "usd", "amount": 1000 }""");

            assertEquals(201, reordered.status());
            assertEquals("true", reordered.header("Idempotent-Replayed"));
        }
    }

    @Test
    void fiftyConcurrentIdenticalPostsCreateOnePaymentAndOneCharge() throws Exception {
        UnaryOperator<PaymentProcessor> slow = processor -> new SlowProcessor(processor, Duration.ofMillis(300));
        // Room for all fifty at once: this test is about idempotency, not the concurrency limiter.
        UnaryOperator<AppConfig> roomy = c -> c.withRateLimits(RateLimitConfig.DEFAULTS.withMaxInFlightPerAccount(100));
        try (TestApi api = TestApi.start(roomy, seams(new MutableClock(), slow))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiResponse>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return api.post("/v1/payments", KEY_A, "storm-key", VISA);
                    }));
                }
                start.countDown();
                String createdBody = null;
                int created = 0;
                int conflicts = 0;
                for (Future<ApiResponse> future : futures) {
                    ApiResponse response = future.get();
                    if (response.status() == 201) {
                        created++;
                        if (createdBody == null) {
                            createdBody = response.body();
                        }
                        assertEquals(createdBody, response.body(), "every 201 is the same payment");
                    } else {
                        conflicts++;
                        assertEquals(409, response.status(), response::toString);
                        assertEquals("/problems/idempotency-key-in-use", response.problemType());
                        assertEquals("1", response.header("Retry-After"));
                    }
                }
                assertTrue(created >= 1);
                assertTrue(conflicts >= 1, "the slow first request must have been seen in flight");
            }
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges());
        }
    }

    @Test
    void sameKeyWithDifferentBodyIsRejectedWith422() {
        try (TestApi api = TestApi.start()) {
            api.post("/v1/payments", KEY_A, "key-1", VISA);
            ApiResponse changed = api.post("/v1/payments", KEY_A, "key-1", VISA.replace("1000", "2000"));

            assertEquals(422, changed.status());
            assertEquals("/problems/idempotency-key-reused", changed.problemType());
            assertEquals(1, new Ledger(api.app().dataSource()).payments());
        }
    }

    @Test
    void sameKeyOnDifferentPathIsRejectedWith422() {
        try (TestApi api = TestApi.start()) {
            api.post("/v1/customers", KEY_A, "key-1", "{}");
            ApiResponse other = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(422, other.status());
            assertEquals("/problems/idempotency-key-reused", other.problemType());
        }
    }

    @Test
    void missingKeyIsRejectedWith400AndStoresNothing() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.post("/v1/payments", KEY_A, null, VISA);

            assertEquals(400, response.status());
            assertEquals("/problems/idempotency-key-missing", response.problemType());
            assertEquals("application/problem+json", response.contentType());
            assertEquals(0, new Ledger(api.app().dataSource()).payments());
        }
    }

    @Test
    void malformedKeysAreRejectedWith400() {
        try (TestApi api = TestApi.start()) {
            for (String bad : List.of("\"unterminated", "has space", "\"\"", "x".repeat(256), "\"bad\\escape\"")) {
                ApiResponse response = api.post("/v1/payments", KEY_A, bad, VISA);
                assertEquals(400, response.status(), bad);
                assertEquals("/problems/idempotency-key-invalid", response.problemType(), bad);
            }
        }
    }

    @Test
    void quotedStructuredFieldKeyAndBareTokenNameTheSameKey() {
        try (TestApi api = TestApi.start()) {
            ApiResponse quoted = api.post("/v1/payments", KEY_A, "\"8e03978e-40d5\"", VISA);
            ApiResponse bare = api.post("/v1/payments", KEY_A, "8e03978e-40d5", VISA);

            assertEquals(201, quoted.status());
            assertEquals("true", bare.header("Idempotent-Replayed"));
            assertEquals(quoted.body(), bare.body());
        }
    }

    @Test
    void keysAreScopedPerAccount() {
        try (TestApi api = TestApi.start()) {
            ApiResponse a = api.post("/v1/payments", KEY_A, "shared-key", VISA);
            ApiResponse b = api.post("/v1/payments", KEY_B, "shared-key", VISA);

            assertEquals(201, a.status());
            assertEquals(201, b.status());
            assertNull(b.header("Idempotent-Replayed"));
            assertNotEquals(a.json().get("id"), b.json().get("id"));
            assertEquals(2, new Ledger(api.app().dataSource()).payments());
        }
    }

    @Test
    void declineIsStoredAndReplayed() {
        try (TestApi api = TestApi.start()) {
            String declined = VISA.replace("pm_card_visa", "pm_card_declined");
            ApiResponse first = api.post("/v1/payments", KEY_A, "key-1", declined);
            ApiResponse second = api.post("/v1/payments", KEY_A, "key-1", declined);

            assertEquals(402, first.status());
            assertEquals("/problems/card-declined", first.problemType());
            assertEquals(402, second.status());
            assertEquals("true", second.header("Idempotent-Replayed"));
            assertEquals(first.body(), second.body());
            assertEquals(1, new Ledger(api.app().dataSource()).payments());
        }
    }

    @Test
    void processorErrorBeforeChargingThenRetryCompletesWithOneCharge() {
        FlakyProcessor.Mode mode = FlakyProcessor.Mode.FAIL_BEFORE;
        try (TestApi api = TestApi.start(UnaryOperator.identity(),
                seams(new MutableClock(), p -> new FlakyProcessor(p, mode, 1)))) {
            ApiResponse failed = api.post("/v1/payments", KEY_A, "key-1", VISA);
            ApiResponse retried = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(502, failed.status());
            assertEquals("/problems/processor-error", failed.problemType());
            assertEquals(201, retried.status());
            assertNull(retried.header("Idempotent-Replayed"), "a failed attempt stores nothing final: the retry executes");
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges());
        }
    }

    @Test
    void processorTimeoutAfterChargingThenRetryCompletesWithTheSameSingleCharge() {
        FlakyProcessor.Mode mode = FlakyProcessor.Mode.TIMEOUT_AFTER;
        try (TestApi api = TestApi.start(UnaryOperator.identity(),
                seams(new MutableClock(), p -> new FlakyProcessor(p, mode, 1)))) {
            ApiResponse failed = api.post("/v1/payments", KEY_A, "key-1", VISA);
            ApiResponse retried = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(504, failed.status());
            assertEquals("/problems/processor-timeout", failed.problemType());
            assertEquals(201, retried.status());
            String paymentId = retried.json().get("id").asText();
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges(), "the processor was charged once, on the first attempt");
            assertEquals(1, ledger.chargesFor(paymentId), "the payment id reserved before the call was kept");
        }
    }

    @Test
    void crashAfterChargeBeforeCommitResumesAfterRestartWithOneCharge() {
        MutableClock clock = new MutableClock();
        AtomicInteger crashes = new AtomicInteger(1);
        UnaryOperator<PaymentProcessor> crashing = p -> new CrashingProcessor(p, crashes);
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams(clock, crashing))) {
            ApiResponse crashed = api.post("/v1/payments", KEY_A, "key-1", VISA);
            assertEquals(500, crashed.status(), "the process 'died' after the processor charged");
            assertEquals("/problems/internal-error", crashed.problemType());

            api.restart(seams(clock, UnaryOperator.identity()));
            ApiResponse tooSoon = api.post("/v1/payments", KEY_A, "key-1", VISA);
            assertEquals(409, tooSoon.status(), "the dead owner's lock holds until its timeout");
            assertEquals("1", tooSoon.header("Retry-After"));

            clock.advance(api.config().idempotencyLockTimeout().plusSeconds(1));
            ApiResponse resumed = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(201, resumed.status(), resumed::toString);
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges());
            assertEquals(1, ledger.chargesFor(resumed.json().get("id").asText()));
        }
    }

    @Test
    void expiredKeyIsTreatedAsANewRequest() {
        MutableClock clock = new MutableClock();
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams(clock, UnaryOperator.identity()))) {
            ApiResponse first = api.post("/v1/payments", KEY_A, "key-1", VISA);
            clock.advance(api.config().idempotencyTtl().plusSeconds(1));
            ApiResponse afterExpiry = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(201, afterExpiry.status());
            assertNull(afterExpiry.header("Idempotent-Replayed"));
            assertNotEquals(first.json().get("id"), afterExpiry.json().get("id"));
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(2, ledger.payments());
            assertEquals(2, ledger.charges(), "a new request after expiry gets a new processor key");
        }
    }

    @Test
    void sweeperDeletesExpiredRecords() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestApi api = TestApi.start(c -> c.withSweepInterval(Duration.ofMillis(50)),
                seams(clock, UnaryOperator.identity()))) {
            api.post("/v1/customers", KEY_A, "key-1", "{}");
            api.post("/v1/customers", KEY_A, "key-2", "{}");
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(2, ledger.count("SELECT COUNT(*) FROM idempotency_keys"));

            clock.advance(api.config().idempotencyTtl().plusSeconds(1));
            long remaining = 2;
            for (int i = 0; i < 100 && remaining > 0; i++) {
                Thread.sleep(50);
                remaining = ledger.count("SELECT COUNT(*) FROM idempotency_keys");
            }
            assertEquals(0, remaining);
            assertEquals(2, ledger.count("SELECT COUNT(*) FROM customers"), "only the records go, never the resources");
        }
    }

    @Test
    void captureIsIdempotentAndAnInvalidStateOutcomeIsReplayed() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "manual");
            ApiResponse capture = api.post("/v1/payments/" + id + "/capture", KEY_A, "cap-1", "{}");
            ApiResponse again = api.post("/v1/payments/" + id + "/capture", KEY_A, "cap-1", "{}");
            ApiResponse newKey = api.post("/v1/payments/" + id + "/capture", KEY_A, "cap-2", "{}");
            ApiResponse newKeyReplay = api.post("/v1/payments/" + id + "/capture", KEY_A, "cap-2", "{}");

            assertEquals(200, capture.status());
            assertEquals("true", again.header("Idempotent-Replayed"));
            assertEquals(capture.body(), again.body());
            assertEquals(409, newKey.status());
            assertEquals("/problems/invalid-state", newKey.problemType());
            assertEquals(409, newKeyReplay.status());
            assertEquals("true", newKeyReplay.header("Idempotent-Replayed"));
            assertEquals(1, new Ledger(api.app().dataSource())
                    .count("SELECT COUNT(*) FROM sandbox_operations WHERE operation = 'capture'"));
        }
    }

    @Test
    void validationFailureBeforeExecutionStoresNothing() {
        try (TestApi api = TestApi.start()) {
            ApiResponse invalid = api.post("/v1/payments", KEY_A, "key-1", "{\"amount\": -1}");
            ApiResponse valid = api.post("/v1/payments", KEY_A, "key-1", VISA);

            assertEquals(400, invalid.status());
            assertEquals("/problems/invalid-request", invalid.problemType());
            assertEquals(201, valid.status(), "the key was not consumed by the rejected request");
        }
    }

    @Test
    void getRequestsNeedNoKey() {
        try (TestApi api = TestApi.start()) {
            ApiResponse list = api.send(api.request("/v1/payments").header("Authorization", "Bearer " + KEY_A)
                    .GET().build());
            assertEquals(200, list.status());
        }
    }

    private static App.Seams seams(MutableClock clock, UnaryOperator<PaymentProcessor> decorator) {
        return new App.Seams(clock, decorator, QUIET);
    }

    /** Adds latency to authorizations so concurrent duplicates overlap. */
    private static final class SlowProcessor extends ForwardingProcessor {
        private final Duration delay;

        SlowProcessor(PaymentProcessor delegate, Duration delay) {
            super(delegate);
            this.delay = delay;
        }

        @Override
        public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.authorize(key, ref, amount, currency, pm, capture);
        }
    }

    /** Fails the first {@code failures} authorizations, before or after the processor acted. */
    private static final class FlakyProcessor extends ForwardingProcessor {
        enum Mode { FAIL_BEFORE, TIMEOUT_AFTER }

        private final Mode mode;
        private final AtomicInteger failures;

        FlakyProcessor(PaymentProcessor delegate, Mode mode, int failures) {
            super(delegate);
            this.mode = mode;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
            if (mode == Mode.FAIL_BEFORE && failures.getAndDecrement() > 0) {
                throw new ProcessorException(ProcessorException.Kind.ERROR, "injected: before");
            }
            Authorization result = delegate.authorize(key, ref, amount, currency, pm, capture);
            if (mode == Mode.TIMEOUT_AFTER && failures.getAndDecrement() > 0) {
                throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "injected: answer lost");
            }
            return result;
        }
    }

    /**
     * Charges, then dies the way a killed process would: with an Error that no cleanup handles,
     * so the idempotency lock stays held and nothing final is stored.
     */
    private static final class CrashingProcessor extends ForwardingProcessor {
        private final AtomicInteger crashes;

        CrashingProcessor(PaymentProcessor delegate, AtomicInteger crashes) {
            super(delegate);
            this.crashes = crashes;
        }

        @Override
        public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
            Authorization result = delegate.authorize(key, ref, amount, currency, pm, capture);
            if (crashes.getAndDecrement() > 0) {
                throw new SimulatedCrash();
            }
            return result;
        }
    }

    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated process death between the processor call and the final commit");
        }
    }
}
