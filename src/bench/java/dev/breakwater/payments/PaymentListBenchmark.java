package dev.breakwater.payments;

import dev.breakwater.store.Database;
import dev.breakwater.store.KeysetQuery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One page of 10 payments (11 rows fetched, as the list handler does) out of 1,000,000 payments
 * of one account (plus 100,000 of another, interleaved), in the real schema, through the real
 * store method: the first page and the last page reached by cursor; and, as counterfactuals the
 * product never runs, the same last page by OFFSET and the first page with the pre-fix
 * {@code ORDER BY seq DESC}.
 *
 * <p>Run with {@code ./mvnw -B -Pbench test-compile exec:exec} (never part of the normal build).
 * The database is built once under {@code target/pagination-bench-db} and reused by every fork;
 * delete that directory to rebuild it. The class sits in the payments package so that it can
 * EXPLAIN the store's package-private {@link Payments#listQuery}: the plan printed at setup is
 * the plan of exactly what is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class PaymentListBenchmark {
    static final String ACCOUNT = "acct_a";
    static final int ROWS = 1_000_000;
    static final int PAGE = 10;
    static final int FETCH = PAGE + 1;
    /** The last page: the 10 oldest payments, below the 999,990 newer ones. */
    static final int LAST_PAGE_DEPTH = ROWS - PAGE;
    private static final String SELECT = "SELECT id, created, amount, amount_capturable, amount_captured,"
            + " amount_refunded, currency, status, capture_method, customer_id, description, payment_method,"
            + " failure_code, failure_message, metadata, processor_charge_id, seq FROM payments WHERE account_id = ?";
    /** Counterfactual: the last page by OFFSET, with the index-ordered ORDER BY (OFFSET's best case). */
    private static final String OFFSET_SQL = SELECT
            + " ORDER BY account_id DESC, seq DESC OFFSET " + LAST_PAGE_DEPTH + " ROWS FETCH FIRST ? ROWS ONLY";
    /** Counterfactual: the first page as the store ran it before the fix. */
    private static final String ORDER_BY_SEQ_ONLY_SQL = SELECT + " ORDER BY seq DESC FETCH FIRST ? ROWS ONLY";

    private Database database;
    private Payments payments;
    private long lastPageCursor;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        database = Database.open(Path.of("target", "pagination-bench-db"), 4);
        payments = new Payments();
        try (Connection c = database.dataSource().getConnection()) {
            if (count(c) != ROWS) {
                load(c);
            }
            lastPageCursor = seqAtDepth(c, LAST_PAGE_DEPTH);
            printPlan(c, "firstPage", Payments.listQuery(ACCOUNT, null, null, null, FETCH));
            printPlan(c, "lastPageByCursor", Payments.listQuery(ACCOUNT, null, null, lastPageCursor, FETCH));
            printPlan(c, "lastPageByOffset", OFFSET_SQL);
            printPlan(c, "firstPageOrderBySeqOnly", ORDER_BY_SEQ_ONLY_SQL);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        database.close();
    }

    @Benchmark
    public List<Payment> firstPage() {
        return database.read(c -> payments.list(c, ACCOUNT, null, null, null, FETCH));
    }

    @Benchmark
    public List<Payment> lastPageByCursor() {
        return database.read(c -> payments.list(c, ACCOUNT, null, null, lastPageCursor, FETCH));
    }

    @Benchmark
    public List<String> lastPageByOffset() {
        return database.read(c -> ids(c, OFFSET_SQL));
    }

    @Benchmark
    public List<String> firstPageOrderBySeqOnly() {
        return database.read(c -> ids(c, ORDER_BY_SEQ_ONLY_SQL));
    }

    private static List<String> ids(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ACCOUNT);
            ps.setInt(2, FETCH);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM payments WHERE account_id = ?")) {
            ps.setString(1, ACCOUNT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * 1,100,000 rows, oldest first: every 11th belongs to acct_b, 1,000,000 to acct_a. Committed
     * in chunks: one 1.1M-row transaction makes H2 keep its whole undo log and grow the file.
     */
    private static void load(Connection c) throws SQLException {
        long start = System.nanoTime();
        int total = ROWS + ROWS / 10;
        int chunk = 50_000;
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM payments");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO payments (id, account_id, created, amount, amount_capturable, amount_captured,
                  amount_refunded, currency, status, capture_method, customer_id, payment_method, metadata)
                SELECT 'pay_' || LPAD(CAST("X" AS VARCHAR), 24, '0'),
                       CASE WHEN MOD("X", 11) = 10 THEN 'acct_b' ELSE 'acct_a' END,
                       1700000000 + "X", 1000, 0, 1000, 0, 'usd',
                       CASE WHEN MOD("X", 4) = 0 THEN 'requires_capture' ELSE 'succeeded' END, 'automatic',
                       CASE WHEN MOD("X", 2) = 0 THEN 'cus_HHHHHHHHHHHHHHHHHHHHHHHH' END,
                       'pm_card_visa', '{}'
                FROM SYSTEM_RANGE(?, ?)""")) {
            for (int from = 0; from < total; from += chunk) {
                ps.setInt(1, from);
                ps.setInt(2, Math.min(from + chunk, total) - 1);
                ps.executeUpdate();
            }
        }
        System.out.printf("%n# loaded %,d payments in %.1f s%n", total, (System.nanoTime() - start) / 1e9);
    }

    /** The cursor position of the row {@code depth} rows from the top, found once at setup. */
    private static long seqAtDepth(Connection c, int depth) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM payments WHERE account_id = ?"
                + " ORDER BY account_id DESC, seq DESC OFFSET ? ROWS FETCH FIRST 1 ROW ONLY")) {
            ps.setString(1, ACCOUNT);
            ps.setInt(2, depth - 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void printPlan(Connection c, String name, KeysetQuery query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + query.sql())) {
            query.bind(ps);
            printPlan(name, ps);
        }
    }

    private static void printPlan(Connection c, String name, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + sql)) {
            ps.setString(1, ACCOUNT);
            ps.setInt(2, FETCH);
            printPlan(name, ps);
        }
    }

    /** H2's own count of rows read, for docs/pagination.md. */
    private static void printPlan(String name, PreparedStatement explain) throws SQLException {
        try (ResultSet rs = explain.executeQuery()) {
            rs.next();
            String plan = rs.getString(1);
            String scanCount = plan.replaceAll("(?s).*/\\* scanCount: (\\d+) \\*/.*", "$1");
            System.out.printf("# %-24s scanCount %9s  %s%n", name, scanCount,
                    plan.contains("/* index sorted */") ? "index sorted" : "read all, then sorted");
        }
    }
}
