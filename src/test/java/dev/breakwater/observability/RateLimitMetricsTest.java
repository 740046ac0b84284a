package dev.breakwater.observability;

import dev.breakwater.http.problem.ProblemType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rate limiter is built on another branch; it reports through {@code request.note("ratelimit", ...)}.
 * These tests feed those notes to the observer directly, as HttpApi will once the limiter is merged.
 */
class RateLimitMetricsTest {
    private static final Map<String, String> REJECTED_DEFAULT = Map.of("ratelimit", "rejected:default");
    private static final Map<String, String> REJECTED_BURST = Map.of("ratelimit", "rejected:burst");
    private static final Map<String, String> CONCURRENCY = Map.of("ratelimit", "concurrency");
    private static final Map<String, String> SHED = Map.of("ratelimit", "shed");
    private static final Map<String, String> ALLOWED = Map.of("ratelimit", "allowed");

    @Test
    void rateLimitNotesCount429sByPolicyAnd503Sheds() {
        try (ObservabilityFixture fixture = new ObservabilityFixture()) {
            // given
            fixture.completed("POST", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED_DEFAULT);
            fixture.completed("POST", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED_DEFAULT);
            fixture.completed("GET", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED_BURST);
            fixture.completed("POST", "/v1/refunds", ProblemType.CONCURRENCY_LIMIT_EXCEEDED, CONCURRENCY);
            fixture.completed("POST", "/v1/refunds", ProblemType.TEMPORARY_REDUCED_CAPACITY, SHED);
            fixture.completed("GET", "/v1/events", ProblemType.NOT_FOUND, ALLOWED);

            // when
            PrometheusText metrics = fixture.scrape();

            // then
            assertEquals(2, metrics.value("breakwater_ratelimit_rejections_total", "policy", "default"));
            assertEquals(1, metrics.value("breakwater_ratelimit_rejections_total", "policy", "burst"));
            assertEquals(1, metrics.value("breakwater_ratelimit_rejections_total", "policy", "concurrency"));
            assertEquals(4, metrics.sum("breakwater_ratelimit_rejections_total"), "an allowed request is not counted");
            assertEquals(1, metrics.value("breakwater_load_shed_total"));
            assertEquals(4, metrics.sum("breakwater_http_server_requests_seconds_count", "status", "429"));
            assertEquals(1, metrics.sum("breakwater_http_server_requests_seconds_count", "status", "503"));
        }
    }

    @Test
    void eachRejectionAndShedIsAJfrEventNamingItsPolicy(@TempDir Path dir) throws Exception {
        try (ObservabilityFixture fixture = new ObservabilityFixture(); Recording recording = new Recording()) {
            recording.enable("breakwater.RateLimitRejection");
            recording.start();

            fixture.completed("POST", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED_DEFAULT);
            fixture.completed("POST", "/v1/refunds", ProblemType.CONCURRENCY_LIMIT_EXCEEDED, CONCURRENCY);
            fixture.completed("POST", "/v1/refunds", ProblemType.TEMPORARY_REDUCED_CAPACITY, SHED);
            fixture.completed("GET", "/v1/events", ProblemType.NOT_FOUND, ALLOWED);

            recording.stop();
            Path file = dir.resolve("rejections.jfr");
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<String> seen = events.stream()
                    .filter(e -> e.getEventType().getName().equals("breakwater.RateLimitRejection"))
                    .map(e -> e.getString("policy") + " " + e.getInt("status") + " " + e.getString("route"))
                    .toList();
            assertEquals(List.of("default 429 /v1/payments", "concurrency 429 /v1/refunds", "shed 503 /v1/refunds"), seen);
        }
    }

    @Test
    void theAccessLogCarriesTheRateLimitOutcomeAndProblemType() {
        try (ObservabilityFixture fixture = new ObservabilityFixture()) {
            fixture.completed("POST", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED_DEFAULT);

            String line = fixture.consoleText().strip();
            assertTrue(line.contains("\"ratelimit\":\"rejected:default\""), line);
            assertTrue(line.contains("\"problem_type\":\"/problems/quota-exceeded\""), line);
            assertTrue(line.contains("\"status\":429"), line);
        }
    }
}
