package dev.breakwater.refunds;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.breakwater.domain.DomainException;
import dev.breakwater.common.Json;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The refunds table, always scoped by account. */
public final class Refunds {
    private static final String COLUMNS = "id, created, amount, currency, payment_id, reason, status, metadata, seq";
    private static final TypeReference<LinkedHashMap<String, String>> METADATA = new TypeReference<>() {
    };

    public Refund insert(Connection c, String accountId, String id, long created, long amount, String currency,
                         String paymentId, String reason, Map<String, String> metadata) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO refunds (id, account_id, created, payment_id, amount, currency, reason, status, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            ps.setLong(3, created);
            ps.setString(4, paymentId);
            ps.setLong(5, amount);
            ps.setString(6, currency);
            ps.setString(7, reason);
            ps.setString(8, Refund.PENDING);
            ps.setString(9, Json.writeString(metadata));
            ps.executeUpdate();
        }
        return get(c, accountId, id);
    }

    public Refund markSucceeded(Connection c, String accountId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE refunds SET status = ? WHERE id = ? AND account_id = ?")) {
            ps.setString(1, Refund.SUCCEEDED);
            ps.setString(2, id);
            ps.setString(3, accountId);
            ps.executeUpdate();
        }
        return get(c, accountId, id);
    }

    public Refund get(Connection c, String accountId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM refunds WHERE id = ? AND account_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DomainException.NotFound("refund", id);
                }
                return map(rs);
            }
        }
    }

    public List<Refund> list(Connection c, String accountId, String paymentId, Long before, int limit) throws SQLException {
        return listQuery(accountId, paymentId, before, limit).run(c, Refunds::map);
    }

    /** The exact query {@link #list} runs (index {@code (account_id, [payment_id,] seq)}), for plan tests. */
    static KeysetQuery listQuery(String accountId, String paymentId, Long before, int limit) {
        return KeysetQuery.newestFirst("refunds", COLUMNS, accountId, before, limit).where("payment_id", paymentId);
    }

    private static Refund map(ResultSet rs) throws SQLException {
        return new Refund(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), Json.read(rs.getString(8), METADATA), rs.getLong(9));
    }
}
