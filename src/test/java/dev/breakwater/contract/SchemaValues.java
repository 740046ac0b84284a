package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Random JSON values drawn from the spec's own schemas, for the fuzzer: values the schema allows
 * (biased to its boundaries: minimum, maximum, minLength, maxLength, each enum value, null where
 * nullable) and values that break it in one labelled way (wrong type, just outside a bound, a
 * 70-digit number, off pattern, huge, odd Unicode). Everything is drawn from one seeded
 * {@link SplittableRandom}, so a seed names a value exactly.
 */
final class SchemaValues {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Strings that stress a decoder without breaking a schema: control chars, astral planes, bidi, combining marks, BOM. */
    static final List<String> ODD_UNICODE = List.of("\u0000", "\u0007tab\tnewline\n", "\uD83D\uDCB8\uD83E\uDDFE",
            "\u202Eevil\u202C", "e\u0301\u0301\u0301", "\uFEFFbom", "\u200B\u200D", "\u0130\u0131\u00DF",
            "\uFFFF\uFFFE", "\uD834\uDD1E", "Zoë Ñandú 中文 العربية", "\\u0000", "'; DROP TABLE payments; --",
            "{{7*7}}${7*7}", "../../etc/passwd", "%00%0d%0a");

    private final SpecDocument spec;
    private final SplittableRandom random;

    SchemaValues(SpecDocument spec, SplittableRandom random) {
        this.spec = spec;
        this.random = random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int between(int lowInclusive, int highInclusive) {
        return lowInclusive + random.nextInt(highInclusive - lowInclusive + 1);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A value the schema accepts. */
    JsonNode valid(JsonNode raw) {
        JsonNode schema = spec.resolve(raw);
        List<JsonNode> branches = branches(schema);
        if (!branches.isEmpty()) {
            return valid(pick(branches));
        }
        if (schema.has("enum")) {
            return pick(list(schema.get("enum")));
        }
        Set<String> types = CompatibilityRules.types(spec, schema);
        List<String> choices = types == null ? List.of("string") : new ArrayList<>(types);
        if (choices.size() > 1 && choices.contains("null") && !chance(0.15)) {
            choices.remove("null");
        }
        return switch (pick(choices)) {
            case "null" -> JSON.nullNode();
            case "integer" -> JSON.numberNode(validInteger(schema));
            case "number" -> JSON.numberNode(validInteger(schema));
            case "boolean" -> JSON.booleanNode(random.nextBoolean());
            case "array" -> JSON.arrayNode();
            case "object" -> validObject(schema);
            default -> JSON.textNode(validString(schema));
        };
    }

    long validInteger(JsonNode schema) {
        long min = schema.path("minimum").asLong(0);
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : Math.max(min + 1_000_000, min);
        return switch (random.nextInt(5)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> Math.min(max, min + 1);
            default -> min + (long) (random.nextDouble() * (max - min));
        };
    }

    /** The spec's pattern for free text: anything but U+0000. */
    static final String NO_NUL = "^[^\\u0000]*$";

    String validString(JsonNode schema) {
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Math.max(min, 40));
        // "Any text but U+0000" (PostgreSQL cannot store it) keeps the odd Unicode below, minus NUL.
        boolean noNul = NO_NUL.equals(schema.path("pattern").asText(null));
        if (schema.has("pattern") && !noNul) {
            String pattern = schema.get("pattern").asText();
            String generated = PatternStrings.generate(pattern, random, min, max);
            if (generated != null) {
                return generated;
            }
            for (JsonNode example : schema.path("examples")) {
                return example.asText();
            }
            return schema.path("example").asText("x".repeat(Math.max(1, min)));
        }
        int length = switch (random.nextInt(4)) {
            case 0 -> Math.max(min, 1);
            case 1 -> max;
            default -> between(Math.max(min, 1), Math.min(max, 60));
        };
        StringBuilder out = new StringBuilder();
        boolean astral = chance(0.1); // every character outside the BMP: two UTF-16 units each, one to the spec
        while (out.codePointCount(0, out.length()) < length) {
            String piece = astral ? pick(List.of("\uD83D\uDCB8", "\uD834\uDD1E", "\uD840\uDC0B"))
                    : chance(0.2) ? pick(ODD_UNICODE) : Character.toString(between('a', 'z'));
            out.append(noNul ? piece.replace("\u0000", "") : piece);
        }
        // Cut by code points (as JSON Schema's maxLength counts), never inside a surrogate pair.
        String text = out.toString();
        while (text.codePointCount(0, text.length()) > max) {
            text = text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, text.length()) - 1));
        }
        return text.isEmpty() && min > 0 ? "a".repeat(min) : text;
    }

    private ObjectNode validObject(JsonNode schema) {
        ObjectNode out = JSON.objectNode();
        JsonNode properties = schema.path("properties");
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Map.Entry<String, JsonNode> property : SpecDocument.fields(properties)) {
            if (required.contains(property.getKey()) || chance(0.5)) {
                out.set(property.getKey(), valid(property.getValue()));
            }
        }
        JsonNode values = spec.resolve(schema.path("additionalProperties"));
        if (properties.isMissingNode() && values.isObject()) {
            int count = between(0, Math.min(3, schema.path("maxProperties").asInt(3)));
            JsonNode names = schema.path("propertyNames");
            for (int i = 0; i < count; i++) {
                String name = validString(names);
                String suffix = String.valueOf(i);
                int room = Math.max(0, names.path("maxLength").asInt(40) - suffix.length());
                int points = name.codePointCount(0, name.length());
                out.set((points > room ? name.substring(0, name.offsetByCodePoints(0, room)) : name) + suffix, valid(values));
            }
        }
        int maxProperties = schema.path("maxProperties").asInt(Integer.MAX_VALUE);
        while (out.size() > maxProperties) {
            out.remove(out.fieldNames().next());
        }
        return out;
    }

    /** One value that breaks the schema, with what is wrong with it; null when the generator knows none. */
    Labelled invalid(JsonNode raw) {
        JsonNode schema = spec.resolve(raw);
        Set<String> types = CompatibilityRules.types(spec, schema);
        List<Labelled> options = new ArrayList<>();
        if (types != null) {
            if (!types.contains("string")) {
                options.add(new Labelled("a string where the schema wants " + types, JSON.textNode(pick(ODD_UNICODE))));
            }
            if (!types.contains("integer") && !types.contains("number")) {
                options.add(new Labelled("a number where the schema wants " + types, JSON.numberNode(random.nextLong())));
            }
            if (!types.contains("object")) {
                options.add(new Labelled("an object where the schema wants " + types, JSON.objectNode().put("a", 1)));
            }
            if (!types.contains("array")) {
                options.add(new Labelled("an array where the schema wants " + types, JSON.arrayNode().add(1)));
            }
            if (!types.contains("boolean")) {
                options.add(new Labelled("a boolean where the schema wants " + types, JSON.booleanNode(true)));
            }
            if (!types.contains("null")) {
                options.add(new Labelled("null where not nullable", JSON.nullNode()));
            }
        }
        for (JsonNode branch : branches(schema).isEmpty() ? List.of(schema) : branches(schema)) {
            String type = branch.path("type").asText();
            if (type.equals("integer")) {
                if (branch.has("minimum")) {
                    options.add(new Labelled("one below the minimum", JSON.numberNode(branch.get("minimum").asLong() - 1)));
                }
                if (branch.has("maximum")) {
                    options.add(new Labelled("one above the maximum", JSON.numberNode(branch.get("maximum").asLong() + 1)));
                }
                options.add(new Labelled("a fraction", JSON.numberNode(new BigDecimal("1000.5"))));
                options.add(new Labelled("a 70-digit integer", JSON.numberNode(new BigInteger("9".repeat(70)))));
                options.add(new Labelled("Long.MIN_VALUE", JSON.numberNode(Long.MIN_VALUE)));
                options.add(new Labelled("1e400", JSON.numberNode(new BigDecimal("1e400"))));
            }
            if (type.equals("string")) {
                if (branch.has("enum")) {
                    options.add(new Labelled("off the enum", JSON.textNode(pick(list(branch.get("enum"))).asText().toUpperCase())));
                }
                if (branch.has("maxLength")) {
                    options.add(new Labelled("one over maxLength", JSON.textNode("m".repeat(branch.get("maxLength").asInt() + 1))));
                }
                if (branch.path("minLength").asInt(0) > 0) {
                    options.add(new Labelled("empty below minLength", JSON.textNode("")));
                }
                if (branch.has("pattern")) {
                    String off = pick(ODD_UNICODE) + "!";
                    if (!Pattern.compile(branch.get("pattern").asText()).matcher(off).find()) {
                        options.add(new Labelled("off the pattern", JSON.textNode(off)));
                    }
                }
                options.add(new Labelled("a 60 KB string", JSON.textNode("h".repeat(60_000))));
            }
        }
        return options.isEmpty() ? null : pick(options);
    }

    /** A value and what it is, for failure reports. */
    record Labelled(String label, JsonNode value) {
    }

    private List<JsonNode> branches(JsonNode schema) {
        List<JsonNode> out = new ArrayList<>();
        for (String combinator : List.of("anyOf", "oneOf")) {
            schema.path(combinator).forEach(branch -> out.add(spec.resolve(branch)));
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static ArrayNode array() {
        return JSON.arrayNode();
    }
}
