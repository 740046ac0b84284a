package dev.breakwater.refunds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** Money returned from a captured payment; {@code pending} until the processor confirms it. */
@JsonPropertyOrder({"id", "object", "created", "amount", "currency", "payment", "reason", "status", "metadata"})
public record Refund(String id, long created, long amount, String currency, String payment, String reason,
                     String status, Map<String, String> metadata, @JsonIgnore long seq) {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";

    @JsonProperty("object")
    public String object() {
        return "refund";
    }
}
