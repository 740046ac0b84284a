package dev.breakwater.processor;

/**
 * The port to the card processor. Every call carries a processor idempotency key derived from
 * the client's Idempotency-Key, so asking again after a crash or timeout returns the first
 * outcome instead of charging twice.
 */
public interface PaymentProcessor {

    Authorization authorize(String processorKey, String reference, long amount, String currency,
                            String paymentMethod, boolean capture);

    void capture(String processorKey, String chargeId, long amount);

    void cancel(String processorKey, String chargeId);

    String refund(String processorKey, String chargeId, long amount);

    /** The definite answer to an authorization: approved with a charge id, or declined. */
    record Authorization(boolean approved, String chargeId, String declineCode, String message) {
        public static Authorization approved(String chargeId) {
            return new Authorization(true, chargeId, null, null);
        }

        public static Authorization declined(String code, String message) {
            return new Authorization(false, null, code, message);
        }
    }
}
