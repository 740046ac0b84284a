package dev.breakwater.events;

import dev.breakwater.support.BulkRows;
import dev.breakwater.support.H2Only;
import dev.breakwater.support.QueryPlan;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.breakwater.support.TestApi.ACCOUNT_A;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event feed's real query, unfiltered and by type, reads only the page's rows over 30,000
 * events, 25,000 rows deep, and for a type whose only three events are the oldest (the same
 * plan shape as payments, which PaymentListPlanTest checks 100,000 rows deep).
 */
@H2Only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventListPlanTest {
    private static final int ROWS = 30_000;
    private static final int DEPTH = 25_000;
    private static final int FETCH = 11;
    private static final int SLACK = 2;

    private TestApi api;
    private long deepSeq;

    @BeforeAll
    void loadEvents() {
        api = TestApi.start();
        // Given 30,000 events, mostly payment.succeeded, with the only three refund.succeeded first.
        BulkRows.insert(api.app().dataSource(), """
                INSERT INTO events (id, account_id, created, type, data)
                VALUES (?, ?, 1700000000, ?, '{"object":{}}')""", ROWS, (ps, i) -> {
            ps.setString(1, idOf(i));
            ps.setString(2, ACCOUNT_A);
            ps.setString(3, i < 3 ? "refund.succeeded" : i % 4 == 0 ? "customer.created" : "payment.succeeded");
            ps.addBatch();
        });
        deepSeq = BulkRows.seqOf(api.app().dataSource(), "events", idOf(ROWS - DEPTH));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void unfilteredPagesReadOnlyTheirRowsAtAnyDepth() {
        assertCheap(explain(null, null), "events_account_seq", FETCH);
        assertCheap(explain(null, deepSeq), "events_account_seq", FETCH);
    }

    @Test
    void pagesOfOneTypeUseTheTypeIndexAtAnyDepth() {
        assertCheap(explain("payment.succeeded", null), "events_account_type_seq", FETCH);
        assertCheap(explain("payment.succeeded", deepSeq), "events_account_type_seq", FETCH);
        assertCheap(explain("refund.succeeded", null), "events_account_type_seq", 3);
    }

    private QueryPlan explain(String type, Long before) {
        return QueryPlan.explainAnalyze(api.app().dataSource(), Events.listQuery(ACCOUNT_A, type, before, FETCH));
    }

    private static void assertCheap(QueryPlan plan, String index, int rowsReturned) {
        assertTrue(plan.reads(index), "reads " + index + ":\n" + plan);
        assertTrue(plan.indexSorted(), "no sort step:\n" + plan);
        assertTrue(plan.scanCount() <= rowsReturned + SLACK, "scanned " + plan.scanCount() + ":\n" + plan);
    }

    private static String idOf(int i) {
        return "evt_" + "%024d".formatted(i);
    }
}
