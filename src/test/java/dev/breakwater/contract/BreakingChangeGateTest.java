package dev.breakwater.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate: openapi/v1.yaml must be a backward-compatible successor of the published baseline
 * openapi/published/v1.yaml. A breaking change fails the build and prints the diff. To publish an
 * additive change, copy openapi/v1.yaml over the baseline in the same commit (docs/contract.md).
 */
class BreakingChangeGateTest {

    @Test
    void theSpecDoesNotBreakThePublishedBaseline() {
        BreakDiff.Result result = BreakDiff.compare(SpecDocument.PUBLISHED, SpecDocument.SPEC);

        if (!result.library().isUnchanged() || result.breaking()) {
            System.out.println(result.render());
        }
        assertFalse(result.breaking(), "\n" + result.render());
    }

    @Test
    void theV2SpecDoesNotBreakItsPublishedBaseline() {
        BreakDiff.Result result = BreakDiff.compare(SpecDocument.V2_PUBLISHED, SpecDocument.V2_SPEC);

        assertFalse(result.breaking(), "\n" + result.render());
    }

    @Test
    void v2IsABreakOfV1SoItCouldNotShipInsideV1() {
        BreakDiff.Result result = BreakDiff.compare(SpecDocument.PUBLISHED, SpecDocument.V2_SPEC);

        assertTrue(result.breaking(), "v2 must be a break of v1, or it belongs in v1:\n" + result.render());
    }
}
