package dev.breakwater.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads the database behind a running server: what really got stored, whatever the responses said. */
public final class Ledger {
    private final DataSource dataSource;

    public Ledger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long count(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long payments() {
        return count("SELECT COUNT(*) FROM payments");
    }

    /** Approved authorizations (charges) the sandbox processor performed. */
    public long charges() {
        return count("SELECT COUNT(*) FROM sandbox_operations WHERE operation IN ('charge', 'authorize') AND outcome = 'approved'");
    }

    public long chargesFor(String paymentId) {
        return count("SELECT COUNT(*) FROM sandbox_operations WHERE operation IN ('charge', 'authorize') "
                + "AND outcome = 'approved' AND reference = ?", paymentId);
    }
}
