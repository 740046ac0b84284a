package dev.breakwater.refunds;

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
 * The refund list's real query, unfiltered and by payment, reads only the page's rows over
 * 30,000 refunds, 25,000 rows deep, and for a payment whose few refunds are the oldest (the
 * same plan shape as payments, which PaymentListPlanTest checks 100,000 rows deep).
 */
@H2Only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefundListPlanTest {
    private static final int ROWS = 30_000;
    private static final int DEPTH = 25_000;
    private static final int FETCH = 11;
    private static final int SLACK = 2;
    private static final String BUSY = "pay_" + "B".repeat(24);
    private static final String RARE = "pay_" + "R".repeat(24);

    private TestApi api;
    private long deepSeq;

    @BeforeAll
    void loadRefunds() {
        api = TestApi.start();
        // Given 30,000 refunds: most against one busy payment, the three oldest against a rare one.
        BulkRows.insert(api.app().dataSource(), """
                INSERT INTO refunds (id, account_id, created, payment_id, amount, currency, status, metadata)
                VALUES (?, ?, 1700000000, ?, 100, 'usd', 'succeeded', '{}')""", ROWS, (ps, i) -> {
            ps.setString(1, idOf(i));
            ps.setString(2, ACCOUNT_A);
            ps.setString(3, i < 3 ? RARE : i % 3 == 0 ? "pay_" + "%024d".formatted(i) : BUSY);
            ps.addBatch();
        });
        deepSeq = BulkRows.seqOf(api.app().dataSource(), "refunds", idOf(ROWS - DEPTH));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void unfilteredPagesReadOnlyTheirRowsAtAnyDepth() {
        assertCheap(explain(null, null), "refunds_account_seq", FETCH);
        assertCheap(explain(null, deepSeq), "refunds_account_seq", FETCH);
    }

    @Test
    void pagesForOnePaymentUseThePaymentIndexAtAnyDepth() {
        assertCheap(explain(BUSY, null), "refunds_account_payment_seq", FETCH);
        assertCheap(explain(BUSY, deepSeq), "refunds_account_payment_seq", FETCH);
        assertCheap(explain(RARE, null), "refunds_account_payment_seq", 3);
    }

    private QueryPlan explain(String payment, Long before) {
        return QueryPlan.explainAnalyze(api.app().dataSource(), Refunds.listQuery(ACCOUNT_A, payment, before, FETCH));
    }

    private static void assertCheap(QueryPlan plan, String index, int rowsReturned) {
        assertTrue(plan.reads(index), "reads " + index + ":\n" + plan);
        assertTrue(plan.indexSorted(), "no sort step:\n" + plan);
        assertTrue(plan.scanCount() <= rowsReturned + SLACK, "scanned " + plan.scanCount() + ":\n" + plan);
    }

    private static String idOf(int i) {
        return "re_" + "%024d".formatted(i);
    }
}
