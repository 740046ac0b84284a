package dev.breakwater.payments;

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

/** The payments table, always scoped by account. */
public final class Payments {
    private static final String COLUMNS = """
            id, created, amount, amount_capturable, amount_captured, amount_refunded, currency, status, capture_method,
            customer_id, description, payment_method, failure_code, failure_message, metadata, processor_charge_id, seq""";
    private static final TypeReference<LinkedHashMap<String, String>> METADATA = new TypeReference<>() {
    };

    public Payment insert(Connection c, String accountId, Payment p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO payments (id, account_id, created, amount, amount_capturable, amount_captured, amount_refunded,
                  currency, status, capture_method, customer_id, description, payment_method, failure_code, failure_message,
                  metadata, processor_charge_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, p.id());
            ps.setString(2, accountId);
            ps.setLong(3, p.created());
            ps.setLong(4, p.amount());
            ps.setLong(5, p.amountCapturable());
            ps.setLong(6, p.amountCaptured());
            ps.setLong(7, p.amountRefunded());
            ps.setString(8, p.currency());
            ps.setString(9, p.status());
            ps.setString(10, p.captureMethod());
            ps.setString(11, p.customer());
            ps.setString(12, p.description());
            ps.setString(13, p.paymentMethod());
            ps.setString(14, p.failureCode());
            ps.setString(15, p.failureMessage());
            ps.setString(16, Json.writeString(p.metadata()));
            ps.setString(17, p.chargeId());
            ps.executeUpdate();
        }
        return get(c, accountId, p.id(), false);
    }

    public Payment get(Connection c, String accountId, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM payments WHERE id = ? AND account_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DomainException.NotFound("payment", id);
                }
                return map(rs);
            }
        }
    }

    /** Applies a status transition and new amounts; the caller holds the row lock and checked the transition. */
    public Payment update(Connection c, String accountId, String id, String status, long capturable, long captured,
                          long refunded) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE payments SET status = ?, amount_capturable = ?, amount_captured = ?, amount_refunded = ?
                WHERE id = ? AND account_id = ?""")) {
            ps.setString(1, status);
            ps.setLong(2, capturable);
            ps.setLong(3, captured);
            ps.setLong(4, refunded);
            ps.setString(5, id);
            ps.setString(6, accountId);
            ps.executeUpdate();
        }
        return get(c, accountId, id, false);
    }

    public List<Payment> list(Connection c, String accountId, String customer, String status, Long before, int limit)
            throws SQLException {
        return listQuery(accountId, customer, status, before, limit).run(c, Payments::map);
    }

    /**
     * The exact query {@link #list} runs, for plan tests. Filter order follows the indexes
     * {@code (account_id, customer_id, status, seq)}, {@code (account_id, customer_id, seq)} and
     * {@code (account_id, status, seq)}.
     */
    static KeysetQuery listQuery(String accountId, String customer, String status, Long before, int limit) {
        return KeysetQuery.newestFirst("payments", COLUMNS, accountId, before, limit)
                .where("customer_id", customer)
                .where("status", status);
    }

    private static Payment map(ResultSet rs) throws SQLException {
        return new Payment(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14), Json.read(rs.getString(15), METADATA), rs.getString(16), rs.getLong(17));
    }
}
