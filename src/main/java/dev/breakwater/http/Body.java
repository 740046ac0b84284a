package dev.breakwater.http;

import dev.breakwater.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JSON object body field by field, collecting every violation (with a JSON pointer)
 * instead of stopping at the first, then {@link #finish()} rejects unknown fields and throws one
 * 400 {@code invalid-request} listing them all. The checks mirror the spec's request schemas.
 */
public final class Body {
    public static final int METADATA_MAX_KEYS = 50;
    public static final int METADATA_KEY_MAX = 40;
    public static final int METADATA_VALUE_MAX = 500;

    private final ObjectNode node;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<FieldError> errors = new ArrayList<>();

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** Parses the request body; an empty body reads as {@code {}}. Content type is checked by the pipeline. */
    public static Body of(Request request) {
        return new Body(request.json());
    }

    public static ObjectNode parseObject(byte[] bytes) {
        if (bytes.length == 0) {
            return Json.object();
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, parserLimit(e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ProblemException(ProblemType.MALFORMED_JSON,
                    "Request body is not valid JSON: " + firstLine(e.getOriginalMessage()) + where + ".");
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "Request body could not be read as JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "Request body must be a JSON object.");
        }
        return (ObjectNode) parsed;
    }

    /** A parser limit in the API's words (Jackson's own message names its configuration class). */
    private static String parserLimit(String message) {
        String text = message == null ? "" : message;
        if (text.contains("nesting depth")) {
            return "Request body nests objects and arrays deeper than " + Json.MAX_NESTING_DEPTH + " levels.";
        }
        if (text.contains("Number value length")) {
            return "A number in the request body is longer than " + Json.MAX_NUMBER_LENGTH + " characters.";
        }
        if (text.contains("String value length")) {
            return "A string in the request body is longer than " + Json.MAX_STRING_LENGTH + " characters.";
        }
        return "Request body exceeds a JSON limit (nesting " + Json.MAX_NESTING_DEPTH + " levels, numbers "
                + Json.MAX_NUMBER_LENGTH + " characters, strings " + Json.MAX_STRING_LENGTH + " characters).";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    public ObjectNode json() {
        return node;
    }

    public boolean has(String field) {
        return node.has(field);
    }

    private JsonNode field(String name) {
        known.add(name);
        return node.get(name);
    }

    private void error(String name, String detail) {
        errors.add(new FieldError("/" + name, detail));
    }

    public Long requiredLong(String name, long min, long max) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            error(name, "is required");
            return null;
        }
        return integer(name, value, min, max);
    }

    public Optional<Long> optionalLong(String name, long min, long max) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(integer(name, value, min, max));
    }

    /**
     * An integer as JSON Schema counts one: {@code 1000}, and also {@code 1000.0} or {@code 1e3},
     * whose value is integral. {@code 10.5} is not. The range is checked before any conversion,
     * so a huge exponent costs nothing.
     */
    private Long integer(String name, JsonNode value, long min, long max) {
        if (!value.isNumber()) {
            error(name, "must be an integer (minor currency units), got " + describe(value));
            return null;
        }
        BigDecimal number = value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
        if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
            error(name, "must be between " + min + " and " + max);
            return null;
        }
        if (number.stripTrailingZeros().scale() > 0) {
            error(name, "must be an integer (minor currency units), got a fraction");
            return null;
        }
        return number.longValueExact();
    }

    public String requiredString(String name, int maxLength, Pattern pattern, String patternHint) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            error(name, "is required");
            return null;
        }
        return string(name, value, maxLength, pattern, patternHint);
    }

    public Optional<String> optionalString(String name, int maxLength, Pattern pattern, String patternHint) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(string(name, value, maxLength, pattern, patternHint));
    }

    /** For PATCH: absent = leave as is, null = clear. */
    public Patch<String> patchString(String name, int maxLength, Pattern pattern, String patternHint) {
        JsonNode value = field(name);
        if (value == null) {
            return Patch.absent();
        }
        if (value.isNull()) {
            return Patch.set(null);
        }
        String parsed = string(name, value, maxLength, pattern, patternHint);
        return parsed == null ? Patch.absent() : Patch.set(parsed);
    }

    private String string(String name, JsonNode value, int maxLength, Pattern pattern, String patternHint) {
        if (!value.isTextual()) {
            error(name, "must be a string, got " + describe(value));
            return null;
        }
        String text = value.textValue();
        if (text.isEmpty()) {
            error(name, "must not be empty");
            return null;
        }
        if (characters(text) > maxLength) {
            error(name, "must be at most " + maxLength + " characters");
            return null;
        }
        // Refused on every engine, not only where it fails: PostgreSQL's text types cannot hold
        // U+0000, and a request valid on one store must be valid on all of them.
        if (text.indexOf('\u0000') >= 0) {
            error(name, "must not contain the NUL character (U+0000)");
            return null;
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
            error(name, patternHint);
            return null;
        }
        return text;
    }

    public <E extends Enum<E>> Optional<String> optionalEnum(String name, Set<String> allowed) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || !allowed.contains(value.textValue())) {
            error(name, "must be one of " + String.join(", ", allowed));
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    public Optional<Map<String, String>> optionalMetadata() {
        JsonNode value = field("metadata");
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.of(Map.of());
        }
        if (!value.isObject()) {
            error("metadata", "must be an object of string values, got " + describe(value));
            return Optional.empty();
        }
        if (value.size() > METADATA_MAX_KEYS) {
            error("metadata", "must have at most " + METADATA_MAX_KEYS + " keys");
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String key = entry.getKey();
            String pointer = "metadata/" + escapePointer(key);
            if (key.isEmpty() || characters(key) > METADATA_KEY_MAX) {
                error(pointer, "metadata keys must be 1 to " + METADATA_KEY_MAX + " characters");
                ok = false;
            } else if (!entry.getValue().isTextual()) {
                error(pointer, "metadata values must be strings, got " + describe(entry.getValue()));
                ok = false;
            } else if (characters(entry.getValue().textValue()) > METADATA_VALUE_MAX) {
                error(pointer, "metadata values must be at most " + METADATA_VALUE_MAX + " characters");
                ok = false;
            } else {
                out.put(key, entry.getValue().textValue());
            }
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** Length as the spec's maxLength counts it (JSON Schema: code points), not String.length()'s UTF-16 units. */
    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String escapePointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String describe(JsonNode value) {
        if (value.isNumber()) {
            return value.isIntegralNumber() ? "an integer" : "a decimal number";
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Rejects unknown fields and throws one problem listing every violation found. */
    public void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError("/" + escapePointer(name), "is not a known field"));
            }
        }
        if (!errors.isEmpty()) {
            String summary = errors.size() == 1
                    ? errors.get(0).pointer() + " " + errors.get(0).detail()
                    : errors.size() + " fields are invalid; see errors";
            throw new ProblemException(ProblemType.INVALID_REQUEST, summary, errors, Map.of(), Map.of());
        }
    }

    /** A PATCH field: absent, or set (possibly to null). */
    public record Patch<T>(boolean present, T value) {
        public static <T> Patch<T> absent() {
            return new Patch<>(false, null);
        }

        public static <T> Patch<T> set(T value) {
            return new Patch<>(true, value);
        }

        public T orElse(T current) {
            return present ? value : current;
        }
    }
}
