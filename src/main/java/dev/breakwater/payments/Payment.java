package dev.breakwater.payments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** A payment: an authorization at the processor, captured at once or later, and refunded in part or whole. */
@JsonPropertyOrder({"id", "object", "created", "amount", "amount_capturable", "amount_captured", "amount_refunded",
        "currency", "status", "capture_method", "customer", "description", "payment_method", "failure_code",
        "failure_message", "metadata"})
public record Payment(String id, long created, long amount, long amountCapturable, long amountCaptured,
                      long amountRefunded, String currency, String status, String captureMethod, String customer,
                      String description, String paymentMethod, String failureCode, String failureMessage,
                      Map<String, String> metadata, @JsonIgnore String chargeId, @JsonIgnore long seq) {

    public static final String REQUIRES_CAPTURE = "requires_capture";
    public static final String SUCCEEDED = "succeeded";
    public static final String CANCELED = "canceled";
    public static final String FAILED = "failed";
    public static final java.util.Set<String> STATUSES = java.util.Set.of(REQUIRES_CAPTURE, SUCCEEDED, CANCELED, FAILED);

    @JsonProperty("object")
    public String object() {
        return "payment";
    }

    @JsonIgnore
    public long refundable() {
        return amountCaptured - amountRefunded;
    }
}
