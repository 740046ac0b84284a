package dev.breakwater.http.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure the HTTP layer knows how to answer: carries its problem type, a detail for the
 * client, per-field errors, extension members and extra response headers.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of(), Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<FieldError> errors,
                            Map<String, Object> extensions, Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
