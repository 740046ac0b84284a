package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The break rules Breakwater adds on top of openapi-diff-core, which is lenient where a client
 * of this API is not (see docs/contract.md). One schema comparison, run in the direction the data
 * flows: in a request the new spec must still accept everything the old one accepted; in a
 * response it must still promise everything the old one promised and send nothing new in place
 * of it. Each finding names the rule, where it is and what changed.
 */
public final class CompatibilityRules {

    /** One incompatible change. {@code where} names the component (or operation) it is in. */
    public record Finding(String rule, String where, String detail) {
        @Override
        public String toString() {
            return "[" + rule + "] " + where + ": " + detail;
        }
    }

    enum Direction {
        REQUEST("request"), RESPONSE("response");

        final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    private static final List<String> LOWER_BOUNDS = List.of("minimum", "exclusiveMinimum", "minLength", "minItems",
            "minProperties");
    private static final List<String> UPPER_BOUNDS = List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems",
            "maxProperties");

    private final SpecDocument oldSpec;
    private final SpecDocument newSpec;
    private final Set<Finding> findings = new LinkedHashSet<>();
    private final Set<String> visited = new HashSet<>();

    private CompatibilityRules(SpecDocument oldSpec, SpecDocument newSpec) {
        this.oldSpec = oldSpec;
        this.newSpec = newSpec;
    }

    public static List<Finding> check(SpecDocument oldSpec, SpecDocument newSpec) {
        CompatibilityRules rules = new CompatibilityRules(oldSpec, newSpec);
        Map<String, SpecDocument.Operation> newOps = new LinkedHashMap<>();
        newSpec.operations().forEach(op -> newOps.put(shape(op), op));
        for (SpecDocument.Operation old : oldSpec.operations()) {
            SpecDocument.Operation now = newOps.get(shape(old));
            if (now != null) {
                rules.operation(old, now);
            }
        }
        return List.copyOf(rules.findings);
    }

    /** Operations match by method and path shape: renaming {@code {id}} is not a change. */
    private static String shape(SpecDocument.Operation op) {
        return op.method() + " " + op.path().replaceAll("\\{[^}]*}", "{}");
    }

    private void operation(SpecDocument.Operation old, SpecDocument.Operation now) {
        String where = old.key();
        parameters(old, now, where);
        requestBody(oldSpec.resolve(old.node().path("requestBody")), newSpec.resolve(now.node().path("requestBody")),
                where + " request body");
        JsonNode newResponses = now.node().path("responses");
        for (Map.Entry<String, JsonNode> response : SpecDocument.fields(old.node().path("responses"))) {
            JsonNode replacement = newResponses.get(response.getKey());
            if (replacement != null) {
                response(oldSpec.resolve(response.getValue()), newSpec.resolve(replacement),
                        where + " " + response.getKey() + " response");
            }
        }
    }

    private void parameters(SpecDocument.Operation old, SpecDocument.Operation now, String where) {
        Map<String, JsonNode> before = byLocation(oldSpec.parameters(old));
        Map<String, JsonNode> after = byLocation(newSpec.parameters(now));
        for (Map.Entry<String, JsonNode> entry : before.entrySet()) {
            JsonNode o = entry.getValue();
            JsonNode n = after.get(entry.getKey());
            String name = entry.getKey();
            if (n == null) {
                // Breakwater rejects unknown query parameters with 400, so a client still sending it breaks.
                if (o.path("in").asText().equals("query")) {
                    add("parameter-removed", where, "query parameter " + o.path("name").asText()
                            + " was removed; clients still sending it get 400 invalid-parameter");
                }
                continue;
            }
            if (!o.path("required").asBoolean(false) && n.path("required").asBoolean(false)) {
                add("parameter-became-required", where, name + " was optional and is now required");
            }
            schema(o.path("schema"), n.path("schema"), Direction.REQUEST, where + " parameter " + name);
        }
        for (Map.Entry<String, JsonNode> entry : after.entrySet()) {
            if (!before.containsKey(entry.getKey()) && entry.getValue().path("required").asBoolean(false)) {
                add("required-parameter-added", where, "new required parameter " + entry.getKey());
            }
        }
    }

    private static Map<String, JsonNode> byLocation(List<JsonNode> parameters) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode p : parameters) {
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            out.put(in + " " + (in.equals("header") ? name.toLowerCase(Locale.ROOT) : name), p);
        }
        return out;
    }

    private void requestBody(JsonNode old, JsonNode now, String where) {
        boolean oldRequired = old.path("required").asBoolean(false);
        boolean newRequired = now.path("required").asBoolean(false);
        if (newRequired && !oldRequired) {
            add("request-body-became-required", where,
                    "a request body is now required");
        }
        for (Map.Entry<String, JsonNode> media : SpecDocument.fields(old.path("content"))) {
            JsonNode replacement = now.path("content").get(media.getKey());
            if (replacement == null) {
                add("request-media-type-removed", where, media.getKey() + " is no longer accepted");
            } else {
                schema(media.getValue().path("schema"), replacement.path("schema"), Direction.REQUEST,
                        where + " (" + media.getKey() + ")");
            }
        }
    }

    private void response(JsonNode old, JsonNode now, String where) {
        for (Map.Entry<String, JsonNode> media : SpecDocument.fields(old.path("content"))) {
            JsonNode replacement = now.path("content").get(media.getKey());
            if (replacement != null) {
                schema(media.getValue().path("schema"), replacement.path("schema"), Direction.RESPONSE,
                        where + " (" + media.getKey() + ")");
            }
        }
        Map<String, JsonNode> newHeaders = new LinkedHashMap<>();
        SpecDocument.fields(now.path("headers")).forEach(h -> newHeaders.put(h.getKey().toLowerCase(Locale.ROOT),
                newSpec.resolve(h.getValue())));
        for (Map.Entry<String, JsonNode> header : SpecDocument.fields(old.path("headers"))) {
            JsonNode o = oldSpec.resolve(header.getValue());
            JsonNode n = newHeaders.get(header.getKey().toLowerCase(Locale.ROOT));
            if (n == null) {
                if (o.path("required").asBoolean(false)) {
                    add("response-header-removed", where, "header " + header.getKey() + " is no longer sent");
                }
                continue;
            }
            if (o.path("required").asBoolean(false) && !n.path("required").asBoolean(false)) {
                add("response-header-became-optional", where, "header " + header.getKey() + " may now be absent");
            }
            schema(o.path("schema"), n.path("schema"), Direction.RESPONSE, where + " header " + header.getKey());
        }
    }

    /** Compares two schemas as seen by a client in {@code direction}; follows $refs once per pair. */
    private void schema(JsonNode oldRaw, JsonNode newRaw, Direction direction, String where) {
        if (oldRaw.isMissingNode() || newRaw.isMissingNode()) {
            return;
        }
        String oldRef = oldRaw.path("$ref").asText(null);
        String newRef = newRaw.path("$ref").asText(null);
        if (oldRef != null && oldRef.equals(newRef)) {
            // Report a change inside a shared component once, under the component's name.
            where = oldRef.substring(oldRef.lastIndexOf('/') + 1);
        }
        if (!visited.add(direction + " " + where + " " + oldRef + " " + newRef)) {
            return;
        }
        JsonNode o = oldSpec.resolve(oldRaw);
        JsonNode n = newSpec.resolve(newRaw);
        types(o, n, direction, where);
        enums(o, n, direction, where);
        bounds(o, n, direction, where);
        if (!Objects.equals(text(o, "pattern"), text(n, "pattern"))) {
            boolean constrains = direction == Direction.REQUEST ? n.has("pattern") : o.has("pattern");
            if (constrains) {
                add("pattern-changed", where, direction.label + " pattern changed from " + text(o, "pattern")
                        + " to " + text(n, "pattern"));
            }
        }
        properties(o, n, direction, where);
        for (String keyword : List.of("items", "additionalProperties", "propertyNames")) {
            if (o.path(keyword).isObject() && n.path(keyword).isObject()) {
                schema(o.get(keyword), n.get(keyword), direction, where + "/" + keyword);
            }
        }
        variants(o, n, "anyOf", direction, where);
        variants(o, n, "oneOf", direction, where);
    }

    private void types(JsonNode o, JsonNode n, Direction direction, String where) {
        Set<String> before = types(oldSpec, o);
        Set<String> after = types(newSpec, n);
        if (before == null && after == null) {
            return;
        }
        boolean ok = direction == Direction.REQUEST
                ? after == null || before != null && covers(after, before)
                : before == null || after != null && covers(before, after);
        if (!ok) {
            add("type-changed", where, direction.label + " type changed from " + describe(before) + " to "
                    + describe(after));
        }
    }

    /** The JSON types a schema allows (union over anyOf/oneOf), or null when it does not say. */
    static Set<String> types(SpecDocument spec, JsonNode schema) {
        Set<String> out = new TreeSet<>();
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            out.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(t -> out.add(t.asText()));
        }
        for (String combinator : List.of("anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                Set<String> inner = types(spec, spec.resolve(branch));
                if (inner == null) {
                    return null;
                }
                out.addAll(inner);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** Whether every value of the {@code inner} types is also of the {@code outer} types. */
    private static boolean covers(Set<String> outer, Set<String> inner) {
        for (String t : inner) {
            boolean covered = outer.contains(t) || t.equals("integer") && outer.contains("number");
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private void enums(JsonNode o, JsonNode n, Direction direction, String where) {
        Set<String> before = values(o.path("enum"));
        Set<String> after = values(n.path("enum"));
        if (direction == Direction.REQUEST && after != null) {
            Set<String> removed = before == null ? Set.of("(any value)") : minus(before, after);
            if (!removed.isEmpty()) {
                add("enum-narrowed", where, "request no longer accepts " + removed);
            }
        }
        if (direction == Direction.RESPONSE && before != null) {
            Set<String> added = after == null ? Set.of("(any value)") : minus(after, before);
            if (!added.isEmpty()) {
                add("enum-widened", where, "response may now contain " + added
                        + ", which clients written against the old enum do not expect");
            }
        }
    }

    private void bounds(JsonNode o, JsonNode n, Direction direction, String where) {
        for (String keyword : LOWER_BOUNDS) {
            compareBound(o, n, keyword, true, direction, where);
        }
        for (String keyword : UPPER_BOUNDS) {
            compareBound(o, n, keyword, false, direction, where);
        }
    }

    private void compareBound(JsonNode o, JsonNode n, String keyword, boolean lower, Direction direction, String where) {
        JsonNode before = o.get(keyword);
        JsonNode after = n.get(keyword);
        if (before != null && after != null && before.decimalValue().compareTo(after.decimalValue()) == 0
                || before == null && after == null) {
            return;
        }
        // A lower bound going up (or appearing) and an upper bound going down (or appearing) tighten.
        boolean tightened = lower
                ? after != null && (before == null || after.decimalValue().compareTo(before.decimalValue()) > 0)
                : after != null && (before == null || after.decimalValue().compareTo(before.decimalValue()) < 0);
        boolean loosened = lower
                ? before != null && (after == null || after.decimalValue().compareTo(before.decimalValue()) < 0)
                : before != null && (after == null || after.decimalValue().compareTo(before.decimalValue()) > 0);
        if (direction == Direction.REQUEST && tightened) {
            add("constraint-tightened", where, "request " + keyword + " changed from " + show(before) + " to "
                    + show(after));
        }
        if (direction == Direction.RESPONSE && loosened) {
            add("constraint-loosened", where, "response " + keyword + " changed from " + show(before) + " to "
                    + show(after));
        }
    }

    private void properties(JsonNode o, JsonNode n, Direction direction, String where) {
        JsonNode before = o.path("properties");
        JsonNode after = n.path("properties");
        Set<String> requiredBefore = values(o.path("required"));
        Set<String> requiredAfter = values(n.path("required"));
        requiredBefore = requiredBefore == null ? Set.of() : requiredBefore;
        requiredAfter = requiredAfter == null ? Set.of() : requiredAfter;
        boolean closedAfter = n.path("additionalProperties").isBoolean() && !n.path("additionalProperties").asBoolean();
        boolean closedBefore = o.path("additionalProperties").isBoolean() && !o.path("additionalProperties").asBoolean();
        for (Map.Entry<String, JsonNode> property : SpecDocument.fields(before)) {
            String name = property.getKey();
            JsonNode replacement = after.get(name);
            if (replacement == null) {
                if (direction == Direction.RESPONSE) {
                    add("response-property-removed", where, "response member '" + name + "' was removed"
                            + (requiredBefore.contains(name) ? "" : " (it was optional, but clients may read it)"));
                } else if (closedAfter) {
                    add("request-property-removed", where, "request member '" + name
                            + "' was removed; clients still sending it get 400 invalid-request");
                }
                continue;
            }
            schema(property.getValue(), replacement, direction, where + "/" + name);
        }
        if (direction == Direction.REQUEST) {
            for (String name : requiredAfter) {
                if (!requiredBefore.contains(name)) {
                    add("request-property-became-required", where, "request member '" + name + "' is now required");
                }
            }
            if (closedAfter && !closedBefore && (o.has("properties") || o.path("type").asText().equals("object"))) {
                add("additional-properties-forbidden", where, "request objects no longer accept unknown members");
            }
        } else {
            for (String name : requiredBefore) {
                if (!requiredAfter.contains(name) && after.has(name)) {
                    add("response-property-became-optional", where, "response member '" + name + "' may now be absent");
                }
            }
        }
    }

    /** anyOf / oneOf: a request may not lose a variant, a response may not gain one. */
    private void variants(JsonNode o, JsonNode n, String combinator, Direction direction, String where) {
        Map<String, JsonNode> before = branches(o.path(combinator));
        Map<String, JsonNode> after = branches(n.path(combinator));
        if (before.isEmpty() && after.isEmpty()) {
            return;
        }
        for (Map.Entry<String, JsonNode> branch : before.entrySet()) {
            JsonNode match = after.get(branch.getKey());
            if (match != null) {
                schema(branch.getValue(), match, direction, where);
            } else if (direction == Direction.REQUEST && !after.isEmpty()) {
                add("variant-removed", where, "request " + combinator + " variant " + branch.getKey() + " was removed");
            }
        }
        if (direction == Direction.RESPONSE && !before.isEmpty()) {
            for (String key : after.keySet()) {
                if (!before.containsKey(key)) {
                    add("variant-added", where, "response " + combinator + " gained variant " + key);
                }
            }
        }
    }

    private static Map<String, JsonNode> branches(JsonNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode branch : list) {
            out.put(branch.has("$ref") ? branch.get("$ref").asText() : branch.toString(), branch);
        }
        return out;
    }

    private static Set<String> values(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.isTextual() ? v.asText() : v.toString()));
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    private static String show(JsonNode bound) {
        return bound == null ? "(none)" : bound.asText();
    }

    private static String describe(Set<String> types) {
        return types == null ? "(any)" : String.join("|", types);
    }

    private void add(String rule, String where, String detail) {
        findings.add(new Finding(rule, where, detail));
    }

    /** The rule names, for documentation and the rule tests. */
    static List<String> names() {
        return new ArrayList<>(List.of("parameter-removed", "parameter-became-required", "required-parameter-added",
                "request-body-became-required", "request-media-type-removed",
                "response-header-removed", "response-header-became-optional", "type-changed", "enum-narrowed",
                "enum-widened", "constraint-tightened", "constraint-loosened", "pattern-changed",
                "response-property-removed", "request-property-removed", "request-property-became-required",
                "response-property-became-optional", "additional-properties-forbidden", "variant-removed",
                "variant-added"));
    }
}
