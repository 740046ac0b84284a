package dev.breakwater.contract;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps docs/evidence/break-diff.md true: each change under src/test/resources/contract/demo/
 * (a merge patch over the published baseline) gets the verdict shown there, for the reason shown.
 * The rendered diffs are written to target/contract/ for the evidence file.
 */
class BreakDiffDemonstrationTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "additive-optional-response-field, compatible, ",
            "additive-new-endpoint,            compatible, ",
            "breaking-removed-field,           breaking,   [response-property-removed] Payment: response member 'failure_message' was removed",
            "breaking-new-required-parameter,  breaking,   new required parameter query created_after",
    })
    void theDemonstratedChangeGetsItsVerdict(String change, String verdict, String reason) throws IOException {
        // given the published baseline and the change applied to it
        SpecDocument published = SpecDocument.load(SpecDocument.PUBLISHED);
        String patch = CompatibilityRulesTest.resource("contract/demo/" + change + ".yaml");
        SpecDocument changed = new SpecDocument(MergePatch.apply(published.root(), SpecDocument.parse(patch).root()));

        // when the break diff compares them
        BreakDiff.Result result = BreakDiff.compare(SpecDocument.PUBLISHED.toString(), published.toYaml(),
                "openapi/v1.yaml + " + change, changed.toYaml());
        Path out = Path.of("target/contract/" + change + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, result.render());

        // then it reaches the demonstrated verdict, for the demonstrated reason
        assertEquals(verdict, result.breaking() ? "breaking" : "compatible", result.render());
        if (reason != null) {
            assertTrue(result.render().contains(reason), result.render());
        }
    }
}
