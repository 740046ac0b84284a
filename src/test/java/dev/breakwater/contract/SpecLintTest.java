package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.versions.ApiVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lints every version's spec (openapi/v1.yaml, openapi/v2.yaml) with the rules in docs/contract.md
 * ("Spec lint"). Each test is one rule, run once per spec, and lists every place that breaks it.
 */
class SpecLintTest {
    private static final Pattern LOWER_CAMEL = Pattern.compile("^[a-z][a-zA-Z0-9]*$");
    private static final Pattern REF = Pattern.compile("\"\\$ref\":\"(#/components/[^\"]+)\"");
    private static final List<String> EVERY_API_OPERATION = List.of("400", "401", "406", "429", "500");

    /** One version's contract: its API paths are under {@code version}'s prefix, next to the shared ops endpoints. */
    record Spec(ApiVersion version, Path file, SpecDocument document) {
        static Spec of(ApiVersion version, Path file) {
            return new Spec(version, file, SpecDocument.load(file));
        }

        /** An operation of the API itself (under this version's prefix), not an ops endpoint. */
        boolean isApi(SpecDocument.Operation op) {
            return op.path().startsWith(version.prefix() + "/");
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    static Stream<Spec> specs() {
        return Stream.of(Spec.of(ApiVersion.V1, SpecDocument.SPEC), Spec.of(ApiVersion.V2, SpecDocument.V2_SPEC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyVersionedPathIsUnderTheSpecsOwnVersion(Spec lint) {
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : lint.document().operations()) {
            ApiVersion.of(op.path()).filter(version -> version != lint.version())
                    .ifPresent(version -> problems.add(op.key() + ": a " + version.label() + " path in "
                            + lint.file() + ", which is " + lint.version().label() + "'s contract"));
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyOperationHasAUniqueLowerCamelCaseOperationId(Spec lint) {
        SpecDocument spec = lint.document();
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SpecDocument.Operation op : spec.operations()) {
            String id = op.node().path("operationId").asText("");
            if (!LOWER_CAMEL.matcher(id).matches()) {
                problems.add(op.key() + ": operationId '" + id + "' is missing or not lowerCamelCase");
            } else if (!seen.add(id)) {
                problems.add(op.key() + ": operationId '" + id + "' is used twice");
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyOperationHasASummaryAndADeclaredTag(Spec lint) {
        SpecDocument spec = lint.document();
        Set<String> declared = new HashSet<>();
        spec.root().path("tags").forEach(t -> declared.add(t.path("name").asText()));
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            if (op.node().path("summary").asText("").isBlank()) {
                problems.add(op.key() + ": no summary");
            }
            if (op.node().path("tags").isEmpty()) {
                problems.add(op.key() + ": no tag");
            }
            op.node().path("tags").forEach(t -> {
                if (!declared.contains(t.asText())) {
                    problems.add(op.key() + ": tag " + t.asText() + " is not declared");
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyRequestBodyAndSuccessResponseHasAnExample(Spec lint) {
        SpecDocument spec = lint.document();
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            JsonNode body = spec.resolve(op.node().path("requestBody"));
            for (Map.Entry<String, JsonNode> media : SpecDocument.fields(body.path("content"))) {
                if (!hasExample(media.getValue())) {
                    problems.add(op.key() + " request " + media.getKey() + ": no example");
                }
            }
            for (Map.Entry<String, JsonNode> response : SpecDocument.fields(op.node().path("responses"))) {
                JsonNode resolved = spec.resolve(response.getValue());
                for (Map.Entry<String, JsonNode> media : SpecDocument.fields(resolved.path("content"))) {
                    if (!hasExample(media.getValue())) {
                        problems.add(op.key() + " " + response.getKey() + " " + media.getKey() + ": no example");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyErrorResponseIsAProblemAndEveryApiOperationDocumentsTheCommonOnes(Spec lint) {
        SpecDocument spec = lint.document();
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            JsonNode responses = op.node().path("responses");
            for (Map.Entry<String, JsonNode> response : SpecDocument.fields(responses)) {
                if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                    JsonNode content = spec.resolve(response.getValue()).path("content");
                    String schemaRef = content.path("application/problem+json").path("schema").path("$ref").asText();
                    if (content.size() != 1 || !schemaRef.equals("#/components/schemas/Problem")) {
                        problems.add(op.key() + " " + response.getKey() + ": not application/problem+json with the Problem schema");
                    }
                }
            }
            if (!lint.isApi(op)) {
                continue;
            }
            List<String> required = new ArrayList<>(EVERY_API_OPERATION);
            if (op.path().contains("{")) {
                required.add("404");
            }
            if (op.method().equals("post")) {
                required.addAll(List.of("409", "413", "415", "422"));
            }
            if (op.method().equals("patch")) {
                required.addAll(List.of("412", "413", "415"));
            }
            for (String status : required) {
                if (!responses.has(status)) {
                    problems.add(op.key() + ": does not document " + status);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyResponseDocumentsRequestIdAndEveryApiResponseTheRateLimitHeaders(Spec lint) {
        SpecDocument spec = lint.document();
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            for (Map.Entry<String, JsonNode> response : SpecDocument.fields(op.node().path("responses"))) {
                JsonNode headers = spec.resolve(response.getValue()).path("headers");
                // A 413 is answered while the body is read, before any filter (so before the limiters);
                // a retired version's 410 before the limiters too, since it costs nothing and changes nothing.
                boolean limited = lint.isApi(op) && !response.getKey().equals("413")
                        && !response.getKey().equals("410");
                List<String> wanted = limited
                        ? List.of("Request-Id", "RateLimit-Policy", "RateLimit") : List.of("Request-Id");
                for (String header : wanted) {
                    if (!headers.has(header)) {
                        problems.add(op.key() + " " + response.getKey() + ": does not document " + header);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyParameterHasADescriptionASchemaAndAnExample(Spec lint) {
        SpecDocument spec = lint.document();
        List<String> problems = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            for (JsonNode parameter : spec.parameters(op)) {
                String name = op.key() + " parameter " + parameter.path("name").asText();
                if (parameter.path("description").asText("").isBlank()) {
                    problems.add(name + ": no description");
                }
                if (!parameter.has("schema")) {
                    problems.add(name + ": no schema");
                }
                if (!parameter.has("example") && !parameter.has("examples")) {
                    problems.add(name + ": no example");
                }
            }
        }
        assertEquals(List.of(), new ArrayList<>(new TreeSet<>(problems)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyComponentIsUsedAndEveryRefResolves(Spec lint) {
        SpecDocument spec = lint.document();
        Set<String> used = new TreeSet<>();
        List<String> pending = new ArrayList<>();
        collectRefs(spec.root().path("paths"), pending);
        spec.root().path("security").forEach(requirement ->
                requirement.fieldNames().forEachRemaining(n -> pending.add("#/components/securitySchemes/" + n)));
        List<String> problems = new ArrayList<>();
        while (!pending.isEmpty()) {
            String ref = pending.remove(pending.size() - 1);
            if (!used.add(ref)) {
                continue;
            }
            JsonNode target = spec.root().at(ref.substring(1));
            if (target.isMissingNode()) {
                problems.add("dangling $ref " + ref);
            } else {
                collectRefs(target, pending);
            }
        }
        for (Map.Entry<String, JsonNode> kind : SpecDocument.fields(spec.root().path("components"))) {
            for (Map.Entry<String, JsonNode> component : SpecDocument.fields(kind.getValue())) {
                String ref = "#/components/" + kind.getKey() + "/" + component.getKey();
                if (!used.contains(ref)) {
                    problems.add("unused component " + ref);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyProblemTypeTheServerCanAnswerIsDocumentedWithAnExample(Spec lint) {
        SpecDocument spec = lint.document();
        String typeDescription = spec.pointer("#/components/schemas/Problem").path("properties").path("type")
                .path("description").asText();
        Set<String> exampled = new HashSet<>();
        for (Map.Entry<String, JsonNode> response : SpecDocument.fields(spec.root().path("components").path("responses"))) {
            response.getValue().path("content").path("application/problem+json").path("examples")
                    .forEach(e -> exampled.add(e.path("value").path("type").asText()));
        }
        List<String> problems = new ArrayList<>();
        // Only a version with a sunset answers 410 api-version-sunset; v2 is the current version and has none.
        Set<ProblemType> notAnswered = lint.version() == ApiVersion.V1 ? Set.of() : Set.of(ProblemType.API_VERSION_SUNSET);
        for (ProblemType type : ProblemType.values()) {
            if (notAnswered.contains(type)) {
                continue;
            }
            if (!typeDescription.contains("`" + type.slug() + "`") && !typeDescription.contains(type.uri())) {
                problems.add(type.uri() + " is not listed in Problem.type");
            }
            if (!exampled.contains(type.uri())) {
                problems.add(type.uri() + " has no example in components/responses");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static boolean hasExample(JsonNode media) {
        return media.has("example") || media.path("examples").size() > 0;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        Matcher refs = REF.matcher(node.toString());
        while (refs.find()) {
            out.add(refs.group(1));
        }
    }
}
