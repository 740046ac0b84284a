package dev.breakwater.refunds;

import dev.breakwater.common.Json;
import dev.breakwater.store.AccountRows;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The refunds table, always scoped by account. */
final class Refunds {
    private static final AccountRows ROWS = new AccountRows("refunds",
            "id, created, amount, currency, payment_id, reason, status, metadata, seq", "refund");

    Refund insert(Connection c, String accountId, Refund r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO refunds (id, account_id, created, payment_id, amount, currency, reason, status, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, r.id());
            ps.setString(2, accountId);
            ps.setLong(3, r.created());
            ps.setString(4, r.payment());
            ps.setLong(5, r.amount());
            ps.setString(6, r.currency());
            ps.setString(7, r.reason());
            ps.setString(8, r.status().wire());
            ps.setString(9, Json.writeString(r.metadata()));
            ps.executeUpdate();
        }
        return get(c, accountId, r.id());
    }

    /** Stores the status a transition returned. */
    Refund save(Connection c, String accountId, Refund r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE refunds SET status = ? WHERE id = ? AND account_id = ?")) {
            ps.setString(1, r.status().wire());
            ps.setString(2, r.id());
            ps.setString(3, accountId);
            ps.executeUpdate();
        }
        return r;
    }

    Refund get(Connection c, String accountId, String id) throws SQLException {
        return ROWS.get(c, accountId, id, false, Refunds::map);
    }

    List<Refund> list(Connection c, String accountId, String paymentId, Long before, int limit) throws SQLException {
        return listQuery(accountId, paymentId, before, limit).run(c, Refunds::map);
    }

    /** The exact query {@link #list} runs (index {@code (account_id, [payment_id,] seq)}), for plan tests. */
    static KeysetQuery listQuery(String accountId, String paymentId, Long before, int limit) {
        return ROWS.newestFirst(accountId, before, limit).where("payment_id", paymentId);
    }

    private static Refund map(ResultSet rs) throws SQLException {
        return new Refund(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), RefundStatus.parse(rs.getString(7)), Json.metadata(rs.getString(8)), rs.getLong(9));
    }
}
