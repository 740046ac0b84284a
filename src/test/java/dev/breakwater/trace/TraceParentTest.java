package dev.breakwater.trace;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** W3C Trace Context level 1: what is continued, what is refused, what a child looks like. */
class TraceParentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void validHeaderIsContinuedAsIs() {
        TraceParent trace = TraceParent.parse(VALID).orElseThrow();

        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", trace.traceId());
        assertEquals("00f067aa0ba902b7", trace.parentId());
        assertEquals(VALID, trace.header());
    }

    @Test
    void malformedOrForbiddenHeadersAreRefused() {
        for (String bad : new String[] {"", "garbage", VALID.toUpperCase(), VALID + "-extra",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"}) {
            assertEquals(Optional.empty(), TraceParent.parse(bad), bad);
        }
    }

    @Test
    void laterVersionIsReadByItsFirstFourFields() {
        TraceParent trace = TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next")
                .orElseThrow();

        assertEquals(VALID, trace.header());
    }

    @Test
    void childKeepsTheTraceAndFlagsWithANewParentId() {
        TraceParent parent = TraceParent.parse(VALID).orElseThrow();
        TraceParent child = parent.child();

        assertEquals(parent.traceId(), child.traceId());
        assertEquals(parent.flags(), child.flags());
        assertNotEquals(parent.parentId(), child.parentId());
    }

    @Test
    void startedTraceIsValidAndSampled() {
        TraceParent started = TraceParent.start();

        assertEquals(Optional.of(started), TraceParent.parse(started.header()));
        assertTrue(started.header().endsWith("-01"));
    }
}
