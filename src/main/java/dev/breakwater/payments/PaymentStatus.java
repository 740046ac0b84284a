package dev.breakwater.payments;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.breakwater.domain.WireNames;

import java.util.Optional;

/** Where a payment is in its life: the states the named transitions on {@link Payment} move between. */
enum PaymentStatus {
    /** Authorized, waiting for {@code capture} or {@code cancel}. */
    REQUIRES_CAPTURE,
    /** Captured (at once or later): refundable up to the captured amount. */
    SUCCEEDED,
    /** Canceled before capture: the authorization was released. */
    CANCELED,
    /** Declined at authorization; recorded so the client can see why. */
    FAILED;

    /** The status as the API spells it, e.g. {@code requires_capture}. */
    @JsonValue
    String wire() {
        return WireNames.of(this);
    }

    static Optional<PaymentStatus> parse(String wire) {
        return WireNames.parse(values(), wire);
    }
}
