package dev.breakwater.payments;

import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;

/**
 * A payment's id ({@code pay_...}), typed so that the refunds feature, which reaches payments
 * only through {@link Payments}' port, cannot hand it a refund's or a customer's id.
 */
public record PaymentId(String value) {
    public PaymentId {
        if (!Ids.matches(Ids.PAYMENT, value)) {
            throw new IllegalArgumentException("not a payment id: " + value);
        }
    }

    static PaymentId next() {
        return new PaymentId(Ids.next(Ids.PAYMENT));
    }

    /**
     * The id a client sent; a malformed one names no payment, so 404 (before any idempotency
     * record is begun, whose request_path column could not hold an arbitrarily long path).
     */
    static PaymentId fromPath(String raw) {
        if (!Ids.matches(Ids.PAYMENT, raw)) {
            throw new DomainException.NotFound("payment", raw.length() > 40 ? raw.substring(0, 40) + "..." : raw);
        }
        return new PaymentId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
