package dev.breakwater.payments;

import dev.breakwater.domain.DomainException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The payment's rules, without a database or a socket: each named transition and what it refuses. */
class PaymentTest {
    private static final PaymentId ID = PaymentId.next();

    private static Payment.New order(boolean automatic) {
        return new Payment.New(2000, "usd", "pm_card_visa", automatic, null, null, Map.of());
    }

    @Test
    void automaticCaptureIsSucceededAtOnceAndManualWaitsForCapture() {
        Payment automatic = Payment.authorized(ID, 1, order(true), "ch_1");
        Payment manual = Payment.authorized(ID, 1, order(false), "ch_1");

        assertEquals(PaymentStatus.SUCCEEDED, automatic.status());
        assertEquals(2000, automatic.amountCaptured());
        assertEquals(0, automatic.amountCapturable());
        assertEquals(PaymentStatus.REQUIRES_CAPTURE, manual.status());
        assertEquals(2000, manual.amountCapturable());
        assertEquals(0, manual.amountCaptured());
    }

    @Test
    void partialCaptureReleasesTheRestOfTheAuthorization() {
        Payment captured = Payment.authorized(ID, 1, order(false), "ch_1").capture(Optional.of(1500L));

        assertEquals(PaymentStatus.SUCCEEDED, captured.status());
        assertEquals(1500, captured.amountCaptured());
        assertEquals(0, captured.amountCapturable());
        assertEquals(1500, captured.refundable());
    }

    @Test
    void captureWithoutAmountTakesAllThatIsCapturable() {
        assertEquals(2000, Payment.authorized(ID, 1, order(false), "ch_1").capture(Optional.empty()).amountCaptured());
    }

    @Test
    void rejectsCaptureAboveTheCapturableAmount() {
        Payment manual = Payment.authorized(ID, 1, order(false), "ch_1");

        DomainException.Unprocessable e = assertThrows(DomainException.Unprocessable.class,
                () -> manual.capture(Optional.of(2001L)));

        assertEquals("/amount", e.violations().get(0).pointer());
        assertEquals("Cannot capture 2001; at most 2000 is capturable.", e.getMessage());
    }

    @Test
    void captureAndCancelAreOnlyAllowedFromRequiresCapture() {
        Payment succeeded = Payment.authorized(ID, 1, order(true), "ch_1");
        Payment canceled = Payment.authorized(ID, 1, order(false), "ch_1").cancel();

        DomainException.InvalidState capture = assertThrows(DomainException.InvalidState.class,
                () -> succeeded.capture(Optional.empty()));
        DomainException.InvalidState cancel = assertThrows(DomainException.InvalidState.class, canceled::cancel);

        assertEquals("succeeded", capture.currentStatus());
        assertEquals("Payment " + ID + " cannot be captured: its status is succeeded; only a payment in "
                + "requires_capture can be.", capture.getMessage());
        assertEquals("canceled", cancel.currentStatus());
        assertEquals(PaymentStatus.CANCELED, canceled.status());
        assertEquals(0, canceled.amountCapturable());
    }

    @Test
    void refundsAccumulateUpToTheCapturedAmount() {
        Payment captured = Payment.authorized(ID, 1, order(true), "ch_1");

        Payment afterTwo = captured.refund(500).refund(1500);

        assertEquals(2000, afterTwo.amountRefunded());
        assertEquals(0, afterTwo.refundable());
        assertEquals(PaymentStatus.SUCCEEDED, afterTwo.status());
    }

    @Test
    void rejectsRefundAboveCapturedAmount() {
        Payment partlyRefunded = Payment.authorized(ID, 1, order(true), "ch_1").refund(1500);

        DomainException.Unprocessable e = assertThrows(DomainException.Unprocessable.class,
                () -> partlyRefunded.refund(501));

        assertEquals("Cannot refund 501 usd: the payment captured 2000 and 1500 is already refunded, so at most 500 "
                + "remains.", e.getMessage());
    }

    @Test
    void rejectsRefundOfAPaymentThatWasNeverCaptured() {
        Payment manual = Payment.authorized(ID, 1, order(false), "ch_1");
        Payment declined = Payment.declined(ID, 1, order(true), "card_declined", "Declined.");

        assertEquals("requires_capture",
                assertThrows(DomainException.InvalidState.class, () -> manual.refund(1)).currentStatus());
        assertEquals("failed",
                assertThrows(DomainException.InvalidState.class, () -> declined.refund(1)).currentStatus());
    }

    @Test
    void statusesRoundTripThroughTheirWireNames() {
        for (PaymentStatus status : PaymentStatus.values()) {
            assertEquals(Optional.of(status), PaymentStatus.parse(status.wire()));
        }
        assertEquals("requires_capture", PaymentStatus.REQUIRES_CAPTURE.wire());
        assertEquals(Optional.empty(), PaymentStatus.parse("REQUIRES_CAPTURE"));
    }
}
