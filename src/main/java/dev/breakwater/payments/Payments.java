package dev.breakwater.payments;

import dev.breakwater.common.Json;
import dev.breakwater.store.AccountRows;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The payments table, always scoped by account. Its public methods are the port through which
 * refunds reach a payment: they reserve refunds by the payment's own rule ({@link Payment#refund})
 * and never see the payment itself.
 */
public final class Payments {
    private static final AccountRows ROWS = new AccountRows("payments", """
            id, created, amount, amount_capturable, amount_captured, amount_refunded, currency, status, capture_method,
            customer_id, description, payment_method, failure_code, failure_message, metadata, processor_charge_id, seq""",
            "payment");

    /** What a refund needs from the payment it returns money from. */
    public record RefundReservation(long amount, String currency, String chargeId) {
    }

    /**
     * Inside the caller's transaction: locks the payment, checks the request's
     * currency (when it names one), applies {@link Payment#refund} for {@code amount} (all that
     * remains when empty) and stores the result.
     *
     * @throws dev.breakwater.domain.DomainException.NotFound when the account has no such payment
     */
    public RefundReservation reserveRefund(Connection c, String accountId, PaymentId id, Optional<Long> amount,
                                           Optional<String> currency) throws SQLException {
        Payment payment = get(c, accountId, id, true).inCurrency(currency);
        long toRefund = amount.orElse(payment.refundable());
        save(c, accountId, payment.refund(toRefund));
        return new RefundReservation(toRefund, payment.currency(), payment.chargeId());
    }

    /** The processor charge behind a payment, for resuming a refund that was already reserved. */
    public String chargeId(Connection c, String accountId, PaymentId id) throws SQLException {
        return get(c, accountId, id, false).chargeId();
    }

    Payment insert(Connection c, String accountId, Payment p) throws SQLException {
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
            ps.setString(9, p.status().wire());
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
        return get(c, accountId, p.paymentId(), false);
    }

    Payment get(Connection c, String accountId, PaymentId id, boolean forUpdate) throws SQLException {
        return ROWS.get(c, accountId, id.value(), forUpdate, Payments::map);
    }

    /** Stores the state a transition returned; the caller holds the row lock. */
    Payment save(Connection c, String accountId, Payment p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE payments SET status = ?, amount_capturable = ?, amount_captured = ?, amount_refunded = ?
                WHERE id = ? AND account_id = ?""")) {
            ps.setString(1, p.status().wire());
            ps.setLong(2, p.amountCapturable());
            ps.setLong(3, p.amountCaptured());
            ps.setLong(4, p.amountRefunded());
            ps.setString(5, p.id());
            ps.setString(6, accountId);
            ps.executeUpdate();
        }
        return p;
    }

    List<Payment> list(Connection c, String accountId, String customer, String status, Long before, int limit)
            throws SQLException {
        return listQuery(accountId, customer, status, before, limit).run(c, Payments::map);
    }

    /**
     * The exact query {@link #list} runs, for plan tests. Filter order follows the indexes
     * {@code (account_id, customer_id, status, seq)}, {@code (account_id, customer_id, seq)} and
     * {@code (account_id, status, seq)}.
     */
    static KeysetQuery listQuery(String accountId, String customer, String status, Long before, int limit) {
        return ROWS.newestFirst(accountId, before, limit)
                .where("customer_id", customer)
                .where("status", status);
    }

    private static Payment map(ResultSet rs) throws SQLException {
        return new Payment(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), PaymentStatus.parse(rs.getString(8)).orElseThrow(), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                Json.metadata(rs.getString(15)), rs.getString(16), rs.getLong(17));
    }
}
