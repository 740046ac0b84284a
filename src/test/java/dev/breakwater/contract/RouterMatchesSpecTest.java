package dev.breakwater.contract;

import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RouterMatchesSpecTest {

    @Test
    void theRoutersOperationsAreExactlyTheSpecsOperations() {
        // given the operations of both specs (each documents its version's paths and the shared ops endpoints)
        Set<String> documented = java.util.stream.Stream.of(SpecDocument.SPEC, SpecDocument.V2_SPEC)
                .flatMap(spec -> SpecDocument.load(spec).operations().stream())
                .map(SpecDocument.Operation::key)
                .collect(Collectors.toCollection(TreeSet::new));

        // when the production wiring builds its router
        Set<String> routed;
        try (TestApi api = TestApi.start()) {
            routed = new TreeSet<>(api.app().router().operations());
        }

        // then neither has an operation the other lacks
        assertEquals(documented, routed);
    }
}
