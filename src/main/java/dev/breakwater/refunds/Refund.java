package dev.breakwater.refunds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** Money returned from a captured payment; {@code pending} until the processor confirms it ({@link #succeed}). */
@JsonPropertyOrder({"id", "object", "created", "amount", "currency", "payment", "reason", "status", "metadata"})
record Refund(String id, long created, long amount, String currency, String payment, String reason,
              RefundStatus status, Map<String, String> metadata, @JsonIgnore long seq) {

    @JsonProperty("object")
    String object() {
        return "refund";
    }

    /** The processor returned the money. Confirming twice (a resumed request) changes nothing. */
    Refund succeed() {
        return new Refund(id, created, amount, currency, payment, reason, RefundStatus.SUCCEEDED, metadata, seq);
    }
}
