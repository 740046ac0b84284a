package dev.breakwater.http.idempotency;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.List;

/**
 * Reads the {@code Idempotency-Key} header. The published format is 1-255 printable ASCII
 * characters, sent either as a Structured Field String ({@code "key"}, with {@code \"} and
 * {@code \\} escapes) as draft-ietf-httpapi-idempotency-key-header specifies, or as a bare token
 * (no spaces or quotes) for convenience.
 */
public final class IdempotencyKeyHeader {
    public static final String NAME = "Idempotency-Key";
    public static final int MAX_LENGTH = 255;
    static final String FORMAT = "1-" + MAX_LENGTH + " printable ASCII characters, as a quoted string (\"key\") or a bare token";

    private IdempotencyKeyHeader() {
    }

    public static String parse(List<String> values) {
        if (values.isEmpty()) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_MISSING,
                    "Every POST needs an Idempotency-Key header (" + FORMAT + "); send a new random key per "
                            + "operation and reuse it when retrying. See /docs/idempotency.");
        }
        if (values.size() > 1) {
            throw invalid("Send exactly one Idempotency-Key header.");
        }
        String raw = values.get(0).strip();
        String key = raw.startsWith("\"") ? unquote(raw) : bare(raw);
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid("Idempotency-Key must be " + FORMAT + "; got " + key.length() + " characters.");
        }
        return key;
    }

    private static String unquote(String raw) {
        if (raw.length() < 2 || !raw.endsWith("\"")) {
            throw invalid("Idempotency-Key starts a quoted string but does not end one.");
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                if (i + 1 >= raw.length() - 1) {
                    throw invalid("Idempotency-Key has a dangling escape.");
                }
                char next = raw.charAt(++i);
                if (next != '"' && next != '\\') {
                    throw invalid("Idempotency-Key may only escape \" and \\.");
                }
                out.append(next);
            } else if (c == '"' || c < 0x20 || c > 0x7E) {
                throw invalid("Idempotency-Key must be " + FORMAT + ".");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String bare(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c > 0x7E || c == '"') {
                throw invalid("Idempotency-Key must be " + FORMAT + "; quote it to include spaces.");
            }
        }
        return raw;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.IDEMPOTENCY_KEY_INVALID, detail);
    }
}
