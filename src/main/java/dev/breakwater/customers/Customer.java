package dev.breakwater.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** A customer of the account: contact details and metadata, versioned for {@code If-Match}. */
@JsonPropertyOrder({"id", "object", "created", "email", "name", "description", "metadata"})
public record Customer(String id, long created, String email, String name, String description,
                       Map<String, String> metadata, @JsonIgnore int version, @JsonIgnore long seq) {

    @JsonProperty("object")
    public String object() {
        return "customer";
    }

    /** Strong entity tag: the version, quoted. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
