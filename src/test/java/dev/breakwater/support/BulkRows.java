package dev.breakwater.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Loads many rows straight into a table in one transaction, in JDBC batches, for plan tests. */
public final class BulkRows {
    private static final int BATCH = 5_000;

    private BulkRows() {
    }

    @FunctionalInterface
    public interface Row {
        /** Adds the rows of step {@code i}: binds the parameters and calls {@code addBatch()}, once per row. */
        void add(PreparedStatement ps, int i) throws SQLException;
    }

    /** Runs the steps i = 0 .. count-1 in order, so a row added later gets a higher seq. */
    public static void insert(DataSource dataSource, String insertSql, int count, Row row) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(insertSql)) {
                for (int i = 0; i < count; i++) {
                    row.add(ps, i);
                    if (i % BATCH == BATCH - 1) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keyset position of the row with this id in {@code table}. */
    public static long seqOf(DataSource dataSource, String table, String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no " + table + " row " + id);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
