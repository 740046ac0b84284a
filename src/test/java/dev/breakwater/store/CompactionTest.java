package dev.breakwater.store;

import dev.breakwater.support.H2Only;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@H2Only
class CompactionTest {

    /** H2 as Database opens it, minus the retention delay, so chunks are rewritable at once. */
    private static Connection open(Path dir) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db")
                + ";AUTO_COMPACT_FILL_RATE=0;RETENTION_TIME=0;WRITE_DELAY=500", "sa", "");
    }

    /**
     * The payment path in miniature: many small transactions, each flushed, each appending a row
     * and inserting a random key into a second index. Every flush rewrites the index pages it
     * touched, so older chunks keep fewer and fewer live pages, as under load.
     */
    private static void churn(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, k VARCHAR(40) NOT NULL UNIQUE, payload VARCHAR(400))");
        }
        c.setAutoCommit(false);
        java.util.Random random = new java.util.Random(42);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)");
             Statement flush = c.createStatement()) {
            long id = 0;
            for (int round = 0; round < 400; round++) {
                for (int i = 0; i < 50; i++) {
                    insert.setLong(1, ++id);
                    insert.setString(2, Long.toHexString(random.nextLong()) + "-" + id);
                    insert.setString(3, "p".repeat(300));
                    insert.executeUpdate();
                }
                c.commit();
                flush.execute("CHECKPOINT SYNC");
            }
        }
        c.setAutoCommit(true);
    }

    private static void stepAndFlush(Connection c, Compaction compaction, int steps) throws SQLException {
        try (Statement flush = c.createStatement()) {
            for (int i = 0; i < steps; i++) {
                compaction.step();
                flush.execute("CHECKPOINT SYNC"); // writes the rewritten pages; the old chunks are then free
            }
        }
    }

    @Test
    void stepsRaiseTheShareOfLiveDataInTheFile(@TempDir Path dir) throws SQLException {
        try (Connection c = open(dir)) {
            churn(c);
            Compaction compaction = Compaction.of(c);
            int before = compaction.chunksFillRate();

            stepAndFlush(c, compaction, 200);

            int after = compaction.chunksFillRate();
            assertTrue(before < 60, "the churn should leave sparse chunks, fill " + before + "%");
            assertTrue(after >= before + 20, "fill rate " + before + "% -> " + after + "%");
        }
    }

    @Test
    void withoutStepsTheSameChurnLeavesTheChunksSparse(@TempDir Path dir) throws SQLException {
        // The control for the test above: the rise comes from the steps, not from the flushes.
        try (Connection c = open(dir)) {
            churn(c);
            Compaction compaction = Compaction.of(c);
            int before = compaction.chunksFillRate();
            try (Statement flush = c.createStatement()) {
                for (int i = 0; i < 200; i++) {
                    flush.execute("CHECKPOINT SYNC");
                }
            }
            assertTrue(compaction.chunksFillRate() < before + 10, before + "% -> " + compaction.chunksFillRate() + "%");
        }
    }

    @Test
    void aChunkWithMoreLiveDataThanAStepIsMovedOverSeveralSteps(@TempDir Path dir) throws SQLException {
        try (Connection c = open(dir); Statement s = c.createStatement()) {
            // Given one chunk of 40,000 rows (one commit), of which only the last 4,000 stay: about
            // 1.4 MB of live pages in a chunk ten times that size, more than any step moves (and
            // more than the 1 MB whole-chunk steps this class replaced would take)...
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, payload VARCHAR(400))");
            s.execute("INSERT INTO t SELECT x, REPEAT('p', 300) FROM SYSTEM_RANGE(1, 40000)");
            s.execute("CHECKPOINT SYNC");
            for (int from = 0; from < 36_000; from += 2000) {
                s.execute("DELETE FROM t WHERE id > " + from + " AND id <= " + (from + 2000));
                s.execute("CHECKPOINT SYNC");
            }
            // ...and newer, full chunks beside it.
            for (int from = 40_000; from < 45_000; from += 1000) {
                s.execute("INSERT INTO t SELECT x, REPEAT('p', 300) FROM SYSTEM_RANGE(" + (from + 1) + ", " + (from + 1000) + ")");
                s.execute("CHECKPOINT SYNC");
            }
            Compaction compaction = Compaction.of(c);
            int before = compaction.chunksFillRate();
            stepAndFlush(c, compaction, 200);

            int after = compaction.chunksFillRate();
            assertTrue(before < 30, "the deletes should leave the file sparse, fill " + before + "%");
            assertTrue(after >= Compaction.TARGET_FILL_PERCENT, "fill rate " + before + "% -> " + after + "%");
        }
    }

    @Test
    void stepsLeaveEveryRowAsItWas(@TempDir Path dir) throws SQLException {
        try (Connection c = open(dir)) {
            churn(c);
            stepAndFlush(c, Compaction.of(c), 100);
        }
        assertTrue(Files.exists(dir.resolve("db.mv.db")));
        try (Connection reopened = open(dir); Statement s = reopened.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT k), SUM(LENGTH(payload)), MAX(id) FROM t")) {
            rs.next();
            assertEquals(20_000, rs.getLong(1));
            assertEquals(20_000, rs.getLong(2));
            assertEquals(20_000L * 300, rs.getLong(3));
            assertEquals(20_000, rs.getLong(4));
        }
    }
}
