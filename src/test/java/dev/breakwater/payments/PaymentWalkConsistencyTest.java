package dev.breakwater.payments;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client walking {@code /v1/payments} sees while the data changes under it: the
 * consistency contract of docs/pagination.md, executed.
 */
class PaymentWalkConsistencyTest {
    private static final long INSERT_WAIT_MILLIS = 5_000;

    private TestApi api;

    @BeforeEach
    void start() {
        api = TestApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void walkDuringInsertsReturnsEveryEarlierPaymentExactlyOnce() throws InterruptedException {
        // Given 60 payments, and another client that keeps creating payments until the walk ends
        List<String> existing = IntStream.range(0, 60).mapToObj(i -> api.createPayment(KEY_A, 100 + i, "automatic")).toList();
        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger inserted = new AtomicInteger();
        AtomicReference<Throwable> inserterFailure = new AtomicReference<>();
        Thread inserter = Thread.ofPlatform().name("inserter").start(() -> {
            try {
                while (walking.get()) {
                    api.createPayment(KEY_A, 999, "automatic");
                    inserted.incrementAndGet();
                }
            } catch (Throwable t) {
                inserterFailure.set(t);
            }
        });

        // When a client walks the list 7 at a time, and at least one payment is created between any two pages
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String url = "/v1/payments?limit=7";
        try {
            while (url != null) {
                awaitInsertsBeyond(inserted, inserted.get(), inserterFailure);
                ApiResponse page = api.get(url, KEY_A);
                assertEquals(200, page.status(), page.toString());
                page.json().get("data").forEach(row -> seen.add(row.get("id").asText()));
                pages++;
                url = page.json().get("has_more").asBoolean()
                        ? "/v1/payments?limit=7&cursor=" + page.json().get("next_cursor").asText() : null;
            }
        } finally {
            walking.set(false);
            inserter.join(INSERT_WAIT_MILLIS);
        }

        // Then no payment came twice, and every payment that existed before the walk came, newest first
        assertNull(inserterFailure.get());
        assertTrue(inserted.get() >= pages, "payments were created during the walk: " + inserted.get());
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates: " + seen);
        List<String> existingSeen = seen.stream().filter(new HashSet<>(existing)::contains).toList();
        assertEquals(existing.reversed(), existingSeen, "each earlier payment once, in order");
    }

    @Test
    void paymentCapturedBeforeTheWalkReachesItLeavesTheRequiresCaptureWalk() {
        // Given six payments awaiting capture, oldest first
        List<String> manual = IntStream.range(0, 6).mapToObj(i -> api.createPayment(KEY_A, 100 + i, "manual")).toList();

        // When a client walks status=requires_capture two at a time, and between pages one payment
        // it already saw and one it has not reached yet are captured
        ApiResponse first = api.get("/v1/payments?status=requires_capture&limit=2", KEY_A);
        capture(manual.get(5));
        capture(manual.get(1));
        List<String> seen = new ArrayList<>(ids(first));
        seen.addAll(walkRest("/v1/payments?status=requires_capture&limit=2", first));

        // Then the one it saw is not repeated and the one it had not reached no longer matches
        assertEquals(List.of(manual.get(5), manual.get(4), manual.get(3), manual.get(2), manual.get(0)), seen);
    }

    @Test
    void paymentCapturedBelowTheCursorJoinsTheSucceededWalkAndAboveItDoesNot() {
        // Given, oldest first: automatic a0, manual m1, automatic a2, manual m3, automatic a4, manual m5
        List<String> p = IntStream.range(0, 6)
                .mapToObj(i -> api.createPayment(KEY_A, 100 + i, i % 2 == 0 ? "automatic" : "manual")).toList();

        // When a client walks status=succeeded one at a time and, after its first page (a4),
        // m3 (below its cursor) and m5 (above it) are captured
        ApiResponse first = api.get("/v1/payments?status=succeeded&limit=1", KEY_A);
        capture(p.get(3));
        capture(p.get(5));
        List<String> seen = new ArrayList<>(ids(first));
        seen.addAll(walkRest("/v1/payments?status=succeeded&limit=1", first));

        // Then m3 appears in seq order, m5 is behind the walk and is not seen, and nothing repeats
        assertEquals(List.of(p.get(4), p.get(3), p.get(2), p.get(0)), seen);
    }

    private void capture(String paymentId) {
        ApiResponse captured = api.post("/v1/payments/" + paymentId + "/capture", KEY_A, "{}");
        assertEquals(200, captured.status(), captured.toString());
    }

    private List<String> walkRest(String firstUrl, ApiResponse page) {
        List<String> seen = new ArrayList<>();
        while (page.json().get("has_more").asBoolean()) {
            page = api.get(firstUrl + "&cursor=" + page.json().get("next_cursor").asText(), KEY_A);
            seen.addAll(ids(page));
        }
        return seen;
    }

    private static List<String> ids(ApiResponse page) {
        assertEquals(200, page.status(), page.toString());
        List<String> ids = new ArrayList<>();
        page.json().get("data").forEach(row -> ids.add(row.get("id").asText()));
        return ids;
    }

    /** Waits until the inserter has created a payment after {@code before} were created, so pages interleave with inserts. */
    private static void awaitInsertsBeyond(AtomicInteger inserted, int before, AtomicReference<Throwable> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + INSERT_WAIT_MILLIS * 1_000_000;
        while (inserted.get() <= before && failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(inserted.get() > before, "the inserter made progress: " + failure.get());
    }
}
