package dev.breakwater.customers;

import dev.breakwater.support.BulkRows;
import dev.breakwater.support.H2Only;
import dev.breakwater.support.QueryPlan;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.breakwater.support.TestApi.ACCOUNT_A;
import static dev.breakwater.support.TestApi.ACCOUNT_B;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer list's real query reads only the page's rows, at the top and 25,000 rows deep
 * (the same plan shape as payments, which PaymentListPlanTest checks 100,000 rows deep).
 */
@H2Only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerListPlanTest {
    private static final int ROWS = 30_000;
    private static final int DEPTH = 25_000;
    private static final int FETCH = 11;
    private static final int SLACK = 2;

    private TestApi api;

    @BeforeAll
    void loadCustomers() {
        api = TestApi.start();
        // Given 30,000 customers of account A with account B's rows in between.
        BulkRows.insert(api.app().dataSource(), """
                INSERT INTO customers (id, account_id, created, email, metadata, version)
                VALUES (?, ?, 1700000000, 'jenny@example.com', '{}', 1)""", ROWS, (ps, i) -> {
            ps.setString(1, idOf(i));
            ps.setString(2, ACCOUNT_A);
            ps.addBatch();
            if (i % 10 == 0) {
                ps.setString(1, "cus_B" + "%023d".formatted(i));
                ps.setString(2, ACCOUNT_B);
                ps.addBatch();
            }
        });
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void firstAndDeepPagesReadOnlyTheirRowsInIndexOrder() {
        long deep = BulkRows.seqOf(api.app().dataSource(), "customers", idOf(ROWS - DEPTH));

        assertCheap(explain(null));
        assertCheap(explain(deep));
    }

    private QueryPlan explain(Long before) {
        return QueryPlan.explainAnalyze(api.app().dataSource(), Customers.listQuery(ACCOUNT_A, before, FETCH));
    }

    private static void assertCheap(QueryPlan plan) {
        assertTrue(plan.reads("customers_account_seq"), plan.toString());
        assertTrue(plan.indexSorted(), "no sort step:\n" + plan);
        assertTrue(plan.scanCount() <= FETCH + SLACK, "scanned " + plan.scanCount() + ":\n" + plan);
    }

    private static String idOf(int i) {
        return "cus_" + "%024d".formatted(i);
    }
}
