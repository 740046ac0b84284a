package dev.breakwater.payments;

import dev.breakwater.store.KeysetQuery;
import dev.breakwater.support.BulkRows;
import dev.breakwater.support.H2Only;
import dev.breakwater.support.QueryPlan;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;

import static dev.breakwater.support.TestApi.ACCOUNT_A;
import static dev.breakwater.support.TestApi.ACCOUNT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deep pages cost what the first page costs: H2's own row counts ({@code EXPLAIN ANALYZE}) for
 * the exact query {@link Payments#list} runs, over 120,000 payments of one account (plus another
 * account's rows interleaved), at the top and 100,000 rows deep, for every filter combination.
 */
@H2Only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentListPlanTest {
    private static final int ROWS = 120_000;
    private static final int DEPTH = 100_000;
    /** What the handler asks for: a default page of 10 plus the row that tells has_more. */
    private static final int FETCH = 11;
    /** The index may read the cursor's own row and one row past the page before it stops. */
    private static final int SLACK = 2;
    private static final String HEAVY = "cus_" + "H".repeat(24);
    private static final String RARE = "cus_" + "R".repeat(24);
    private static final List<Integer> RARE_ROWS = List.of(10, 20, 30, 40, 50);

    private TestApi api;
    private long deepSeq;

    @BeforeAll
    void loadPayments() {
        api = TestApi.start();
        // Given 120,000 payments of account A, oldest first: half for one heavy customer, five early
        // ones for a rare customer, three canceled ones at the very bottom; and B's rows in between.
        BulkRows.insert(api.app().dataSource(), """
                INSERT INTO payments (id, account_id, created, amount, amount_capturable, amount_captured,
                  amount_refunded, currency, status, capture_method, customer_id, payment_method, metadata)
                VALUES (?, ?, 1700000000, 1000, 0, 0, 0, 'usd', ?, 'automatic', ?, 'pm_card_visa', '{}')""",
                ROWS, (ps, i) -> {
                    addRow(ps, idOf(i), ACCOUNT_A, statusOf(i), customerOf(i));
                    if (i % 12 == 0) {
                        addRow(ps, "pay_B" + "%023d".formatted(i), ACCOUNT_B, PaymentStatus.CANCELED.wire(), HEAVY);
                    }
                });
        deepSeq = BulkRows.seqOf(api.app().dataSource(), "payments", idOf(ROWS - DEPTH));
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void firstPageReadsOnlyItsRowsInIndexOrder() {
        QueryPlan plan = explain(null, null, null);

        assertCheap(plan, "payments_account_seq", FETCH);
    }

    @Test
    void pageHundredThousandRowsDeepReadsNoMoreThanTheFirst() throws SQLException {
        QueryPlan plan = explain(null, null, deepSeq);

        assertCheap(plan, "payments_account_seq", FETCH);
        assertEquals(IntStream.range(0, FETCH).mapToObj(k -> idOf(ROWS - DEPTH - 1 - k)).toList(),
                idsListed(null, null, deepSeq), "the rows right below the cursor, newest first");
    }

    @Test
    void statusFilteredPagesUseTheStatusIndexAtAnyDepth() {
        assertCheap(explain(null, PaymentStatus.SUCCEEDED.wire(), null), "payments_account_status_seq", FETCH);
        assertCheap(explain(null, PaymentStatus.SUCCEEDED.wire(), deepSeq), "payments_account_status_seq", FETCH);
    }

    @Test
    void rareStatusAtTheBottomIsFoundWithoutWalkingTheOthers() throws SQLException {
        QueryPlan plan = explain(null, PaymentStatus.CANCELED.wire(), null);

        assertCheap(plan, "payments_account_status_seq", 3);
        assertEquals(List.of(idOf(2), idOf(1), idOf(0)), idsListed(null, PaymentStatus.CANCELED.wire(), null));
    }

    @Test
    void customerFilteredPagesUseTheCustomerIndexAtAnyDepth() {
        assertCheap(explain(HEAVY, null, null), "payments_account_customer_seq", FETCH);
        assertCheap(explain(HEAVY, null, deepSeq), "payments_account_customer_seq", FETCH);
    }

    @Test
    void rareCustomerAmongHundredThousandPaymentsReadsOnlyTheirRows() throws SQLException {
        QueryPlan plan = explain(RARE, null, null);

        assertCheap(plan, "payments_account_customer_seq", RARE_ROWS.size());
        assertEquals(RARE_ROWS.reversed().stream().map(PaymentListPlanTest::idOf).toList(), idsListed(RARE, null, null));
    }

    @Test
    void customerAndStatusTogetherUseTheCombinedIndex() throws SQLException {
        // The heavy customer has 60,000 payments but only two canceled ones, at the very bottom.
        QueryPlan plan = explain(HEAVY, PaymentStatus.CANCELED.wire(), null);

        assertCheap(plan, "payments_account_customer_status_seq", 2);
        assertEquals(List.of(idOf(2), idOf(0)), idsListed(HEAVY, PaymentStatus.CANCELED.wire(), null));
    }

    private QueryPlan explain(String customer, String status, Long before) {
        KeysetQuery query = Payments.listQuery(ACCOUNT_A, customer, status, before, FETCH);
        return QueryPlan.explainAnalyze(api.app().dataSource(), query);
    }

    private List<String> idsListed(String customer, String status, Long before) throws SQLException {
        try (Connection c = api.app().dataSource().getConnection()) {
            return new Payments().list(c, ACCOUNT_A, customer, status, before, FETCH).stream().map(Payment::id).toList();
        }
    }

    private static void assertCheap(QueryPlan plan, String index, int rowsReturned) {
        assertTrue(plan.reads(index), "reads " + index + ":\n" + plan);
        assertTrue(plan.indexSorted(), "rows come out of the index in order, no sort step:\n" + plan);
        assertTrue(plan.scanCount() <= rowsReturned + SLACK,
                "scanned " + plan.scanCount() + " rows for " + rowsReturned + ":\n" + plan);
    }

    private static void addRow(PreparedStatement ps, String id, String account, String status, String customer)
            throws SQLException {
        ps.setString(1, id);
        ps.setString(2, account);
        ps.setString(3, status);
        ps.setString(4, customer);
        ps.addBatch();
    }

    private static String idOf(int i) {
        return "pay_" + "%024d".formatted(i);
    }

    private static String statusOf(int i) {
        if (i < 3) {
            return PaymentStatus.CANCELED.wire();
        }
        return i % 4 == 0 ? PaymentStatus.REQUIRES_CAPTURE.wire() : PaymentStatus.SUCCEEDED.wire();
    }

    private static String customerOf(int i) {
        if (RARE_ROWS.contains(i)) {
            return RARE;
        }
        return i % 2 == 0 ? HEAVY : null;
    }
}
