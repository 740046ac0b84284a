package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openapitools.openapidiff.core.OpenApiCompare;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every break rule, both ways, on the cases in src/test/resources/contract/rules/cases.yaml: each a
 * merge patch over base.yaml with the verdict the gate must reach and the one openapi-diff-core
 * reaches alone (so a library upgrade that changes its mind shows up here and in docs/contract.md).
 */
class CompatibilityRulesTest {
    private static final String BASE = resource("contract/rules/base.yaml");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        SpecDocument.parse(resource("contract/rules/cases.yaml")).root()
                .forEach(c -> out.add(Arguments.of(c.path("name").asText(), c)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gateReachesTheExpectedVerdict(String name, JsonNode testCase) {
        // given the base spec and the case's change
        String changed = patched(testCase);

        // when the break diff compares them
        BreakDiff.Result result = BreakDiff.compare("base.yaml", BASE, name, changed);

        // then it reaches the expected verdict, through the named rule when there is one
        String expected = testCase.path("expect").asText();
        assertEquals(expected, result.breaking() ? "breaking" : "compatible", result.render());
        if (testCase.has("rule")) {
            String rule = testCase.get("rule").asText();
            assertTrue(result.ruleFindings().stream().anyMatch(f -> f.rule().equals(rule)),
                    "expected rule " + rule + " to fire:\n" + result.render());
        }
        if (expected.equals("compatible")) {
            assertTrue(result.ruleFindings().isEmpty(), result.render());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void openapiDiffCoreAloneReachesTheRecordedVerdict(String name, JsonNode testCase) {
        boolean libraryBreaking = OpenApiCompare.fromContents(BASE, patched(testCase)).isIncompatible();

        assertEquals(testCase.path("library").asText(), libraryBreaking ? "breaking" : "compatible",
                "openapi-diff-core changed its verdict on '" + name + "': update cases.yaml and docs/contract.md");
    }

    @Test
    void everyRuleHasABreakingCaseAndCompatibleCasesFireNoRule() {
        Set<String> exercised = new TreeSet<>();
        int compatible = 0;
        for (JsonNode c : SpecDocument.parse(resource("contract/rules/cases.yaml")).root()) {
            if (c.has("rule")) {
                exercised.add(c.get("rule").asText());
            }
            if (c.path("expect").asText().equals("compatible")) {
                compatible++;
            }
        }

        // Each compatible case is the mirror of a breaking one; gateReachesTheExpectedVerdict checks they fire nothing.
        assertEquals(new TreeSet<>(CompatibilityRules.names()), exercised);
        assertTrue(compatible >= 20, "only " + compatible + " compatible cases");
    }

    private static String patched(JsonNode testCase) {
        return new SpecDocument(MergePatch.apply(SpecDocument.parse(BASE).root(), testCase.path("patch"))).toYaml();
    }

    static String resource(String name) {
        try (InputStream in = CompatibilityRulesTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
