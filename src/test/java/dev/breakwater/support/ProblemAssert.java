package dev.breakwater.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts what every problem response must carry. */
public final class ProblemAssert {
    private ProblemAssert() {
    }

    /** Every problem: the media type, type, title, status, detail and request id, matching the header. */
    public static void assertProblem(ApiResponse response, int status, String slug) {
        assertEquals(status, response.status(), response::toString);
        assertEquals("application/problem+json", response.contentType(), response::toString);
        var json = response.json();
        assertEquals("/problems/" + slug, json.get("type").asText(), response::toString);
        assertEquals(status, json.get("status").asInt());
        assertTrue(json.hasNonNull("title") && !json.get("title").asText().isBlank());
        assertTrue(json.hasNonNull("detail") && !json.get("detail").asText().isBlank());
        assertEquals(response.header("Request-Id"), json.get("request_id").asText());
    }
}
