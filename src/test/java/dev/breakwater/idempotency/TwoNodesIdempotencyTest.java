package dev.breakwater.idempotency;

import dev.breakwater.App;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.ForwardingProcessor;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.MutableClock;
import dev.breakwater.support.PostgresOnly;
import dev.breakwater.support.TestApi;
import dev.breakwater.support.TestStore;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes over one PostgreSQL, as behind a balancer: the Idempotency-Key lock is the database
 * row, so it holds across nodes, and a key left locked by a node that died is taken over by the
 * other node once the lock timeout has passed, without a second charge.
 */
@PostgresOnly
class TwoNodesIdempotencyTest {
    private static final String VISA = """
            {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}""";
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void keyInFlightOnOneNodeIsInUseOnTheOtherThenReplaysThere() throws Exception {
        Gate gate = new Gate();
        try (TestStore store = TestStore.freshPostgresSchema();
             TestApi a = TestApi.node(store, UnaryOperator.identity(), seams(new MutableClock(), p -> new HeldProcessor(p, gate)));
             TestApi b = TestApi.node(store, UnaryOperator.identity(), seams(new MutableClock(), UnaryOperator.identity()));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ApiResponse> onA = pool.submit(() -> a.post("/v1/payments", KEY_A, "order-1", VISA));
            gate.awaitHeld();

            ApiResponse onB = b.post("/v1/payments", KEY_A, "order-1", VISA);
            assertEquals(409, onB.status(), onB::toString);
            assertEquals("/problems/idempotency-key-in-use", onB.problemType());
            assertEquals("1", onB.header("Retry-After"));

            gate.open();
            ApiResponse first = onA.get(30, TimeUnit.SECONDS);
            assertEquals(201, first.status(), first::toString);
            ApiResponse retryOnB = b.post("/v1/payments", KEY_A, "order-1", VISA);
            assertEquals(201, retryOnB.status());
            assertEquals("true", retryOnB.header("Idempotent-Replayed"));
            assertEquals(first.body(), retryOnB.body());
            Ledger ledger = new Ledger(b.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges());
        }
    }

    @Test
    void keyOfANodeThatDiedMidRequestIsTakenOverByTheOtherAfterTheLockTimeout() {
        MutableClock clock = new MutableClock();
        try (TestStore store = TestStore.freshPostgresSchema();
             TestApi dying = TestApi.node(store, UnaryOperator.identity(), seams(clock, DyingProcessor::new));
             TestApi survivor = TestApi.node(store, UnaryOperator.identity(), seams(clock, UnaryOperator.identity()))) {
            ApiResponse lost = dying.post("/v1/payments", KEY_A, "order-1", VISA);
            assertEquals(500, lost.status(), "the node 'died' after the processor charged, before its final commit");

            ApiResponse tooSoon = survivor.post("/v1/payments", KEY_A, "order-1", VISA);
            assertEquals(409, tooSoon.status(), "the dead node's lock holds on the other node until its timeout");
            assertEquals("/problems/idempotency-key-in-use", tooSoon.problemType());

            clock.advance(survivor.config().idempotencyLockTimeout().plusSeconds(1));
            ApiResponse takenOver = survivor.post("/v1/payments", KEY_A, "order-1", VISA);

            assertEquals(201, takenOver.status(), takenOver::toString);
            assertNull(takenOver.header("Idempotent-Replayed"), "resumed and finished here, not replayed");
            String paymentId = takenOver.json().get("id").asText();
            Ledger ledger = new Ledger(survivor.app().dataSource());
            assertEquals(1, ledger.payments());
            assertEquals(1, ledger.charges(), "the charge the dead node made was found again, not made twice");
            assertEquals(1, ledger.chargesFor(paymentId));
        }
    }

    @Test
    void sameNewKeyRacingOnTwoNodesCreatesOnePaymentAndNoServerError() throws Exception {
        try (TestStore store = TestStore.freshPostgresSchema();
             TestApi a = TestApi.node(store, UnaryOperator.identity(), seams(new MutableClock(), UnaryOperator.identity()));
             TestApi b = TestApi.node(store, UnaryOperator.identity(), seams(new MutableClock(), UnaryOperator.identity()));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 10; round++) {
                String key = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ApiResponse>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TestApi node = i % 2 == 0 ? a : b;
                    answers.add(pool.submit(() -> {
                        start.await();
                        return node.post("/v1/payments", KEY_A, key, VISA);
                    }));
                }
                start.countDown();
                for (Future<ApiResponse> answer : answers) {
                    ApiResponse response = answer.get(30, TimeUnit.SECONDS);
                    assertTrue(response.status() == 201 || response.status() == 409, response::toString);
                    if (response.status() == 409) {
                        assertEquals("/problems/idempotency-key-in-use", response.problemType());
                    }
                }
            }
            Ledger ledger = new Ledger(a.app().dataSource());
            assertEquals(10, ledger.payments(), "one payment per key, whichever node won");
            assertEquals(10, ledger.charges());
        }
    }

    private static App.Seams seams(MutableClock clock, UnaryOperator<PaymentProcessor> decorator) {
        return new App.Seams(clock, decorator, QUIET);
    }

    /** Lets a test hold one authorization until it opens the gate. */
    private static final class Gate {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        void awaitHeld() throws InterruptedException {
            assertTrue(held.await(10, TimeUnit.SECONDS), "the authorization never arrived");
        }

        void open() {
            opened.countDown();
        }

        void pass() {
            held.countDown();
            try {
                assertTrue(opened.await(30, TimeUnit.SECONDS), "gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class HeldProcessor extends ForwardingProcessor {
        private final Gate gate;

        HeldProcessor(PaymentProcessor delegate, Gate gate) {
            super(delegate);
            this.gate = gate;
        }

        @Override
        public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
            gate.pass();
            return delegate.authorize(key, ref, amount, currency, pm, capture);
        }
    }

    /**
     * Charges, then stops the way a killed node would: with an Error no cleanup handles, so the
     * lock stays held and nothing final is stored.
     */
    private static final class DyingProcessor extends ForwardingProcessor {
        DyingProcessor(PaymentProcessor delegate) {
            super(delegate);
        }

        @Override
        public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
            delegate.authorize(key, ref, amount, currency, pm, capture);
            throw new NodeDied();
        }
    }

    private static final class NodeDied extends Error {
        NodeDied() {
            super("simulated node death between the processor call and the final commit");
        }
    }
}
