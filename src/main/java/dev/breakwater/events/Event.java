package dev.breakwater.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/** An append-only record of a change, e.g. {@code payment.captured}, with a snapshot of the object. */
@JsonPropertyOrder({"id", "object", "created", "type", "data"})
public record Event(String id, long created, String type, JsonNode data, @com.fasterxml.jackson.annotation.JsonIgnore long seq) {
    public static final java.util.Set<String> TYPES = java.util.Set.of(
            "customer.created", "customer.updated",
            "payment.succeeded", "payment.requires_capture", "payment.failed", "payment.captured", "payment.canceled",
            "refund.created", "refund.succeeded");

    @JsonProperty("object")
    public String object() {
        return "event";
    }
}
