package dev.breakwater.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL expressions in dashboards/ and the metric names they select. */
final class PromQl {
    static final Path DASHBOARD = Path.of("dashboards/breakwater.json");
    static final Path ALERTS = Path.of("dashboards/alerts.yaml");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");

    private PromQl() {
    }

    /** Every {@code expr} of every panel target in the Grafana dashboard. */
    static List<String> dashboardExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> out.add(e.asText()));
        return out;
    }

    /** Every {@code expr} of every rule (recording and alerting) in the alert rules file. */
    static List<String> ruleExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode group : alerts().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("expr").asText());
            }
        }
        return out;
    }

    /** The series the alert rules file records itself (names with a colon, by convention). */
    static Set<String> recordedNames() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode group : alerts().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("record")) {
                    out.add(rule.get("record").asText());
                }
            }
        }
        return out;
    }

    /**
     * The metric names an expression selects: identifiers left once strings, label matchers,
     * ranges and grouping clauses are removed, that are neither functions nor keywords.
     */
    static Set<String> metricNames(String expr) {
        String stripped = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String token = m.group();
            boolean isCall = stripped.substring(m.end()).stripLeading().startsWith("(");
            boolean isNumber = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
            if (!isCall && !isNumber && !KEYWORDS.contains(token.toLowerCase(java.util.Locale.ROOT))) {
                names.add(token);
            }
        }
        return names;
    }

    private static JsonNode alerts() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
    }
}
