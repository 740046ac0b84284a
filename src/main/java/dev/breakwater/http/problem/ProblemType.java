package dev.breakwater.http.problem;

/**
 * Every problem type the API can answer with: the one table from failure to status code.
 * docs/status-codes.md and the spec's responses document the same table.
 */
public enum ProblemType {
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
    INVALID_REQUEST(400, "invalid-request", "Invalid request body"),
    INVALID_PARAMETER(400, "invalid-parameter", "Invalid query parameter"),
    INVALID_CURSOR(400, "invalid-cursor", "Invalid cursor"),
    IDEMPOTENCY_KEY_MISSING(400, "idempotency-key-missing", "Idempotency-Key header required"),
    IDEMPOTENCY_KEY_INVALID(400, "idempotency-key-invalid", "Malformed Idempotency-Key header"),
    UNAUTHORIZED(401, "unauthorized", "Missing or invalid API key"),
    CARD_DECLINED(402, "card-declined", "Card declined"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    INVALID_STATE(409, "invalid-state", "Invalid state transition"),
    IDEMPOTENCY_KEY_IN_USE(409, "idempotency-key-in-use", "Request with this Idempotency-Key is in flight"),
    API_VERSION_SUNSET(410, "api-version-sunset", "API version retired"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency-Key reused with a different request"),
    UNPROCESSABLE(422, "unprocessable", "Unprocessable request"),
    QUOTA_EXCEEDED(429, "quota-exceeded", "Rate limit exceeded"),
    CONCURRENCY_LIMIT_EXCEEDED(429, "concurrency-limit-exceeded", "Too many concurrent requests"),
    INTERNAL_ERROR(500, "internal-error", "Internal server error"),
    PROCESSOR_ERROR(502, "processor-error", "Card processor error"),
    PROCESSOR_UNAVAILABLE(503, "processor-unavailable", "Card processor unavailable"),
    TEMPORARY_REDUCED_CAPACITY(503, "temporary-reduced-capacity", "Temporarily reduced capacity"),
    PROCESSOR_TIMEOUT(504, "processor-timeout", "Card processor timeout");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** Relative type URI, as RFC 9457 allows; resolves against the API origin to the docs. */
    public String uri() {
        return "/problems/" + slug;
    }
}
