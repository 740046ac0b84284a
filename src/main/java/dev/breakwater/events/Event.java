package dev.breakwater.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** An append-only record of a change, e.g. {@code payment.captured}, with a snapshot of the object. */
@JsonPropertyOrder({"id", "object", "created", "type", "data"})
record Event(String id, long created, String type, JsonNode data, @JsonIgnore long seq) {
    static final Set<String> TYPES = Set.of(
            "customer.created", "customer.updated",
            "payment.succeeded", "payment.requires_capture", "payment.failed", "payment.captured", "payment.canceled",
            "refund.created", "refund.succeeded");

    @JsonProperty("object")
    String object() {
        return "event";
    }
}
