package dev.breakwater.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;

import java.util.Map;
import java.util.Optional;

/** A customer of the account: contact details and metadata, versioned for {@code If-Match}. */
@JsonPropertyOrder({"id", "object", "created", "email", "name", "description", "metadata"})
record Customer(String id, long created, String email, String name, String description,
                Map<String, String> metadata, @JsonIgnore int version, @JsonIgnore long seq) {

    static Customer create(long created, String email, String name, String description, Map<String, String> metadata) {
        return new Customer(Ids.next(Ids.CUSTOMER), created, email, name, description, metadata, 1, 0);
    }

    @JsonProperty("object")
    String object() {
        return "customer";
    }

    /** Strong entity tag: the version, quoted. */
    String etag() {
        return "\"" + version + "\"";
    }

    /**
     * Applies a PATCH: each present field replaces the current one. With {@code ifMatch}, only
     * when the client saw the current version (RFC 9110 If-Match, strong comparison).
     */
    Customer patch(Optional<String> ifMatch, Patch change) {
        ifMatch.ifPresent(tags -> {
            if (!matches(tags, etag())) {
                throw new DomainException.PreconditionFailed("If-Match " + tags + " does not match the current ETag "
                        + etag() + "; GET the customer again and reapply your change.");
            }
        });
        return new Customer(id, created, change.email().orElse(email), change.name().orElse(name),
                change.description().orElse(description), change.metadata().orElse(metadata), version, seq);
    }

    Customer nextVersion() {
        return new Customer(id, created, email, name, description, metadata, version + 1, seq);
    }

    /** The fields a PATCH may change; an empty one is left as it is (a present null clears it). */
    record Patch(PatchField email, PatchField name, PatchField description, Optional<Map<String, String>> metadata) {
    }

    /** One PATCH field: absent (keep) or present with a value that may be null (clear). */
    interface PatchField {
        String orElse(String current);
    }

    /** RFC 9110 If-Match: {@code *} or a list of entity tags, compared strongly (weak tags never match). */
    static boolean matches(String ifMatch, String etag) {
        String trimmed = ifMatch.strip();
        if (trimmed.equals("*")) {
            return true;
        }
        for (String candidate : trimmed.split(",")) {
            if (candidate.strip().equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
