package dev.breakwater.refunds;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.breakwater.domain.WireNames;

/** A refund is {@code pending} from its reservation until the processor confirms it. */
enum RefundStatus {
    PENDING,
    SUCCEEDED;

    @JsonValue
    String wire() {
        return WireNames.of(this);
    }

    static RefundStatus parse(String wire) {
        return WireNames.parse(values(), wire)
                .orElseThrow(() -> new IllegalStateException("unknown refund status in the store: " + wire));
    }
}
