package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Generates invalid requests from the spec's own schemas: for every operation, each body member
 * with a wrong type, null where not nullable, out of range, too long or short, off-pattern or off-enum;
 * each required member missing; an unknown member; a body that is not an object; each query
 * parameter wrong; the Idempotency-Key missing or malformed; path ids too long. Each probe starts
 * from a valid request (the operation's first request example) and breaks exactly one thing.
 */
final class InvalidRequests {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** One invalid request and the statuses the spec documents for that kind of mistake. */
    record Probe(String operationId, String mistake, String method, String path, String query,
                 Map<String, String> headers, String body, Set<Integer> expectedStatuses) {
        @Override
        public String toString() {
            return operationId + ": " + mistake;
        }
    }

    /** A valid request for an operation: its concrete path and body (null for none). */
    record Valid(String path, JsonNode body) {
    }

    private final SpecDocument spec;

    InvalidRequests(SpecDocument spec) {
        this.spec = spec;
    }

    List<Probe> probes(SpecDocument.Operation op, Valid valid) {
        List<Probe> out = new ArrayList<>();
        String id = op.operationId();
        String method = op.method().toUpperCase(java.util.Locale.ROOT);
        boolean keyed = false;
        for (JsonNode parameter : spec.parameters(op)) {
            String name = parameter.path("name").asText();
            JsonNode schema = spec.resolve(parameter.path("schema"));
            switch (parameter.path("in").asText()) {
                case "query" -> {
                    for (Map.Entry<String, String> bad : invalidQueryValues(schema).entrySet()) {
                        out.add(new Probe(id, "query " + name + " " + bad.getKey(), method, valid.path(),
                                name + "=" + bad.getValue(), headers(op, valid), body(valid), Set.of(400)));
                    }
                }
                case "header" -> {
                    if (name.equals("Idempotency-Key")) {
                        keyed = true;
                    }
                }
                case "path" -> {
                    if (schema.has("maxLength")) {
                        String tooLong = "x".repeat(schema.get("maxLength").asInt() + 1);
                        String path = valid.path().replaceFirst("/[^/]+(/(capture|cancel))?$", "/" + tooLong + "$1");
                        out.add(new Probe(id, "path " + name + " longer than maxLength", method, path, null,
                                headers(op, valid), body(valid), Set.of(404)));
                    }
                }
                default -> {
                }
            }
        }
        if (keyed) {
            Map<String, String> missing = headers(op, valid);
            missing.remove("Idempotency-Key");
            out.add(new Probe(id, "Idempotency-Key missing", method, valid.path(), null, missing, body(valid), Set.of(400)));
            for (String bad : List.of("x".repeat(256), "\"unterminated", "two words")) {
                Map<String, String> headers = headers(op, valid);
                headers.put("Idempotency-Key", bad);
                out.add(new Probe(id, "Idempotency-Key malformed (" + abbreviate(bad) + ")", method, valid.path(), null,
                        headers, body(valid), Set.of(400)));
            }
        }
        JsonNode requestBody = spec.resolve(op.node().path("requestBody"));
        JsonNode schema = spec.resolve(requestBody.path("content").path("application/json").path("schema"));
        if (!schema.isMissingNode()) {
            bodyProbes(op, valid, schema, out);
        }
        return out;
    }

    private void bodyProbes(SpecDocument.Operation op, Valid valid, JsonNode schema, List<Probe> out) {
        String id = op.operationId();
        String method = op.method().toUpperCase(java.util.Locale.ROOT);
        ObjectNode base = valid.body() == null ? JSON.objectNode() : (ObjectNode) valid.body();
        out.add(new Probe(id, "body is a JSON array, not an object", method, valid.path(), null,
                headers(op, valid), "[]", Set.of(400)));
        for (JsonNode required : schema.path("required")) {
            ObjectNode without = base.deepCopy();
            without.remove(required.asText());
            out.add(new Probe(id, "required member /" + required.asText() + " missing", method, valid.path(), null,
                    headers(op, valid), without.toString(), Set.of(400)));
        }
        if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
            ObjectNode extra = base.deepCopy();
            extra.put("unexpected_member", 1);
            out.add(new Probe(id, "unknown member /unexpected_member", method, valid.path(), null,
                    headers(op, valid), extra.toString(), Set.of(400)));
        }
        for (Map.Entry<String, JsonNode> property : SpecDocument.fields(schema.path("properties"))) {
            for (Map.Entry<String, JsonNode> bad : invalidValues(property.getValue()).entrySet()) {
                ObjectNode changed = base.deepCopy();
                changed.set(property.getKey(), bad.getValue());
                out.add(new Probe(id, "/" + property.getKey() + " " + bad.getKey(), method, valid.path(), null,
                        headers(op, valid), changed.toString(), Set.of(400)));
            }
        }
    }

    /** Values that break the schema, each labelled with what is wrong with it. */
    Map<String, JsonNode> invalidValues(JsonNode raw) {
        JsonNode schema = spec.resolve(raw);
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Set<String> types = CompatibilityRules.types(spec, schema);
        if (types == null) {
            return out;
        }
        Map<String, JsonNode> wrongTypes = new LinkedHashMap<>();
        wrongTypes.put("integer", JSON.numberNode(12345));
        wrongTypes.put("string", JSON.textNode("text"));
        wrongTypes.put("boolean", JSON.booleanNode(true));
        wrongTypes.put("array", JSON.arrayNode());
        wrongTypes.put("object", JSON.objectNode());
        for (Map.Entry<String, JsonNode> candidate : wrongTypes.entrySet()) {
            boolean allowed = types.contains(candidate.getKey())
                    || candidate.getKey().equals("integer") && types.contains("number");
            if (!allowed) {
                out.put("of the wrong type (" + candidate.getKey() + ")", candidate.getValue());
                break;
            }
        }
        if (!types.contains("null")) {
            out.put("null where not nullable", JSON.nullNode());
        }
        for (JsonNode branch : branches(schema)) {
            String type = branch.path("type").asText();
            switch (type) {
                case "integer" -> {
                    if (branch.has("minimum")) {
                        out.put("below its minimum", JSON.numberNode(branch.get("minimum").asLong() - 1));
                    }
                    if (branch.has("maximum")) {
                        out.put("above its maximum", JSON.numberNode(branch.get("maximum").asLong() + 1));
                    }
                    out.put("a decimal, not an integer", JSON.numberNode(new java.math.BigDecimal("1.5")));
                }
                case "string" -> stringValues(branch, out);
                case "object" -> objectValues(branch, out);
                default -> {
                }
            }
        }
        return out;
    }

    private void stringValues(JsonNode schema, Map<String, JsonNode> out) {
        if (schema.has("enum")) {
            out.put("not one of its enum values", JSON.textNode("not_a_value"));
        }
        if (schema.has("maxLength")) {
            out.put("longer than its maxLength", JSON.textNode("x".repeat(schema.get("maxLength").asInt() + 1)));
        }
        if (schema.path("minLength").asInt(0) > 0) {
            out.put("shorter than its minLength", JSON.textNode(""));
        }
        if (schema.has("pattern")) {
            String offPattern = "!".repeat(Math.max(1, schema.path("minLength").asInt(1)));
            if (!Pattern.compile(schema.get("pattern").asText()).matcher(offPattern).find()) {
                out.put("not matching its pattern", JSON.textNode(offPattern));
            }
        }
    }

    private void objectValues(JsonNode schema, Map<String, JsonNode> out) {
        JsonNode values = spec.resolve(schema.path("additionalProperties"));
        if (schema.has("maxProperties")) {
            ObjectNode tooMany = JSON.objectNode();
            for (int i = 0; i <= schema.get("maxProperties").asInt(); i++) {
                tooMany.put("k" + i, "v");
            }
            out.put("with more than maxProperties members", tooMany);
        }
        JsonNode names = schema.path("propertyNames");
        if (names.has("maxLength")) {
            out.put("with a key longer than its maxLength",
                    JSON.objectNode().put("k".repeat(names.get("maxLength").asInt() + 1), "v"));
        }
        if (names.path("minLength").asInt(0) > 0) {
            out.put("with an empty key", JSON.objectNode().put("", "v"));
        }
        if (values.isObject()) {
            if (values.path("type").asText().equals("string")) {
                out.put("with a non-string value", JSON.objectNode().put("k", 1));
            }
            if (values.has("maxLength")) {
                out.put("with a value longer than its maxLength",
                        JSON.objectNode().put("k", "v".repeat(values.get("maxLength").asInt() + 1)));
            }
        }
    }

    private Map<String, String> invalidQueryValues(JsonNode schema) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode branch : branches(schema)) {
            switch (branch.path("type").asText()) {
                case "integer" -> {
                    out.put("not an integer", "abc");
                    if (branch.has("minimum")) {
                        out.put("below its minimum", String.valueOf(branch.get("minimum").asLong() - 1));
                    }
                    if (branch.has("maximum")) {
                        out.put("above its maximum", String.valueOf(branch.get("maximum").asLong() + 1));
                    }
                }
                case "string" -> {
                    Map<String, JsonNode> values = new LinkedHashMap<>();
                    stringValues(branch, values);
                    values.forEach((label, value) -> out.put(label, java.net.URLEncoder.encode(value.asText(),
                            java.nio.charset.StandardCharsets.UTF_8)));
                }
                default -> {
                }
            }
        }
        return out;
    }

    /** The non-null alternatives of a schema (itself when it has no anyOf/oneOf), resolved. */
    private List<JsonNode> branches(JsonNode schema) {
        List<JsonNode> out = new ArrayList<>();
        for (String combinator : List.of("anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                JsonNode resolved = spec.resolve(branch);
                if (!resolved.path("type").asText().equals("null")) {
                    out.add(resolved);
                }
            }
        }
        if (out.isEmpty()) {
            out.add(schema);
        }
        return out;
    }

    /** The valid request's headers: JSON when it has a body, and a fresh Idempotency-Key where one is required. */
    private Map<String, String> headers(SpecDocument.Operation op, Valid valid) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        boolean keyed = spec.parameters(op).stream().anyMatch(p -> p.path("name").asText().equals("Idempotency-Key"));
        if (keyed) {
            headers.put("Idempotency-Key", java.util.UUID.randomUUID().toString());
        }
        if (valid.body() == null) {
            headers.remove("Content-Type");
        }
        return headers;
    }

    private static String body(Valid valid) {
        return valid.body() == null ? null : valid.body().toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 16 ? s.substring(0, 8) + "...(" + s.length() + " chars)" : s;
    }
}
