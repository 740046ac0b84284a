package dev.breakwater.payments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.breakwater.domain.DomainException;

import java.util.Map;
import java.util.Optional;

/**
 * A payment: an authorization at the processor, captured at once or later, and refunded in part
 * or whole. The rules live here as named transitions ({@link #capture}, {@link #cancel},
 * {@link #refund}) that return the new state or throw the domain failure (409 invalid state,
 * 422 for an amount the state cannot honour); stores only persist what they return.
 */
@JsonPropertyOrder({"id", "object", "created", "amount", "amount_capturable", "amount_captured", "amount_refunded",
        "currency", "status", "capture_method", "customer", "description", "payment_method", "failure_code",
        "failure_message", "metadata"})
record Payment(String id, long created, long amount, long amountCapturable, long amountCaptured,
               long amountRefunded, String currency, PaymentStatus status, String captureMethod, String customer,
               String description, String paymentMethod, String failureCode, String failureMessage,
               Map<String, String> metadata, @JsonIgnore String chargeId, @JsonIgnore long seq) {

    /** What a client asks for when it creates a payment, validated for shape. */
    record New(long amount, String currency, String paymentMethod, boolean automaticCapture, String customer,
               String description, Map<String, String> metadata) {
        String captureMethod() {
            return automaticCapture ? "automatic" : "manual";
        }
    }

    /** An approved authorization: captured already when the client asked for automatic capture. */
    static Payment authorized(PaymentId id, long created, New command, String chargeId) {
        boolean automatic = command.automaticCapture();
        return new Payment(id.value(), created, command.amount(), automatic ? 0 : command.amount(),
                automatic ? command.amount() : 0, 0, command.currency(),
                automatic ? PaymentStatus.SUCCEEDED : PaymentStatus.REQUIRES_CAPTURE, command.captureMethod(),
                command.customer(), command.description(), command.paymentMethod(), null, null, command.metadata(),
                chargeId, 0);
    }

    /** A declined authorization, kept so the client can see the decline. */
    static Payment declined(PaymentId id, long created, New command, String declineCode, String message) {
        return new Payment(id.value(), created, command.amount(), 0, 0, 0, command.currency(), PaymentStatus.FAILED,
                command.captureMethod(), command.customer(), command.description(), command.paymentMethod(),
                declineCode, message, command.metadata(), null, 0);
    }

    @JsonProperty("object")
    String object() {
        return "payment";
    }

    PaymentId paymentId() {
        return new PaymentId(id);
    }

    /** Captures {@code amount} (all that is capturable when empty); the rest of the authorization is released. */
    Payment capture(Optional<Long> amount) {
        requireStatus(PaymentStatus.REQUIRES_CAPTURE, "captured", "only a payment in requires_capture can be");
        long toCapture = amount.orElse(amountCapturable);
        if (toCapture > amountCapturable) {
            throw new DomainException.Unprocessable("/amount", "Cannot capture " + toCapture + "; at most "
                    + amountCapturable + " is capturable.");
        }
        return withAmounts(PaymentStatus.SUCCEEDED, 0, toCapture, amountRefunded);
    }

    /**
     * Holds a request that names its currency to the payment's: an amount is a count of minor
     * units, so 500 meant as yen must never move 500 cents. Empty when the request names none.
     */
    Payment inCurrency(Optional<String> expected) {
        if (expected.isPresent() && !expected.get().equals(currency)) {
            throw new DomainException.Unprocessable("/currency", "Payment " + id + " is in " + currency
                    + ", but this request says " + expected.get() + ".");
        }
        return this;
    }

    /** Releases the whole authorization. */
    Payment cancel() {
        requireStatus(PaymentStatus.REQUIRES_CAPTURE, "canceled", "only a payment in requires_capture can be");
        return withAmounts(PaymentStatus.CANCELED, 0, amountCaptured, amountRefunded);
    }

    /** Reserves {@code amount} of the captured money for a refund; never more than is left. */
    Payment refund(long amount) {
        requireStatus(PaymentStatus.SUCCEEDED, "refunded", "only a succeeded (captured) payment can be");
        long remaining = refundable();
        if (remaining == 0 || amount > remaining) {
            throw new DomainException.Unprocessable("/amount", "Cannot refund " + amount + " " + currency
                    + ": the payment captured " + amountCaptured + " and " + amountRefunded
                    + " is already refunded, so at most " + remaining + " remains.");
        }
        return withAmounts(status, amountCapturable, amountCaptured, amountRefunded + amount);
    }

    @JsonIgnore
    long refundable() {
        return amountCaptured - amountRefunded;
    }

    private void requireStatus(PaymentStatus required, String verb, String rule) {
        if (status != required) {
            throw new DomainException.InvalidState("Payment " + id + " cannot be " + verb + ": its status is "
                    + status.wire() + "; " + rule + ".", status.wire());
        }
    }

    private Payment withAmounts(PaymentStatus newStatus, long capturable, long captured, long refunded) {
        return new Payment(id, created, amount, capturable, captured, refunded, currency, newStatus, captureMethod,
                customer, description, paymentMethod, failureCode, failureMessage, metadata, chargeId, seq);
    }
}
