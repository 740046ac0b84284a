package dev.breakwater.observability;

import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlightRecorderTest {
    private static final List<String> EVENTS = List.of("breakwater.Request", "breakwater.IdempotencyDecision",
            "breakwater.RateLimitRejection", "breakwater.ProcessorCall");

    @Test
    void requestsIdempotencyDecisionsAndProcessorCallsAreRecordedAsJfrEvents(@TempDir Path dir) throws Exception {
        try (TestApi api = TestApi.start(); Recording recording = new Recording()) {
            EVENTS.forEach(name -> recording.enable(name).withThreshold(Duration.ZERO));
            recording.start();
            // given
            String body = """
                    {"amount": 700, "currency": "usd", "payment_method": "%s"}""".formatted(SandboxProcessor.VISA);
            ApiResponse first = api.post("/v1/payments", KEY_A, "jfr-1", body);
            ApiResponse replay = api.post("/v1/payments", KEY_A, "jfr-1", body);
            Eventually.await("both requests counted", () -> PrometheusText.parse(MetricsEndpointTest.scrape(api).body())
                    .sum("breakwater_http_server_requests_seconds_count", "route", "/v1/payments") == 2);

            // when
            recording.stop();
            Path file = dir.resolve("requests.jfr");
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);

            // then
            RecordedEvent request = only(events, "breakwater.Request", first.header("Request-Id"));
            assertEquals("POST", request.getString("method"));
            assertEquals("/v1/payments", request.getString("route"));
            assertEquals(201, request.getInt("status"));
            assertEquals("new", request.getString("idempotency"));
            assertEquals(TestApi.ACCOUNT_A, request.getString("account"));
            assertTrue(request.getDuration().toNanos() > 0, "begun by the first filter, ended after the response");

            RecordedEvent decision = only(events, "breakwater.IdempotencyDecision", replay.header("Request-Id"));
            assertEquals("replayed", decision.getString("decision"));
            assertEquals(201, decision.getInt("status"));

            List<RecordedEvent> calls = events.stream()
                    .filter(e -> e.getEventType().getName().equals("breakwater.ProcessorCall")).toList();
            assertEquals(1, calls.size(), "the replay does not call the processor");
            assertEquals("authorize", calls.get(0).getString("operation"));
            assertEquals("approved", calls.get(0).getString("outcome"));
            assertTrue(calls.get(0).getDuration().toNanos() > 0);
        }
    }

    @Test
    void theShippedJfcEnablesEveryBreakwaterEvent() throws Exception {
        Map<String, String> settings = Configuration.create(Path.of("jfr/breakwater.jfc")).getSettings();

        for (String event : EVENTS) {
            assertEquals("true", settings.get(event + "#enabled"), event);
            assertEquals("false", settings.get(event + "#stackTrace"), event);
        }
        assertEquals("0 ms", settings.get("breakwater.Request#threshold"));
        // still the JDK's default profile underneath: CPU samples and GC are there to explain a storm's cost
        assertEquals("true", settings.get("jdk.ExecutionSample#enabled"));
        assertEquals("true", settings.get("jdk.GarbageCollection#enabled"));
    }

    private static RecordedEvent only(List<RecordedEvent> events, String type, String requestId) {
        List<RecordedEvent> matching = events.stream()
                .filter(e -> e.getEventType().getName().equals(type))
                .filter(e -> requestId.equals(e.getString("requestId")))
                .toList();
        assertEquals(1, matching.size(), type + " for " + requestId);
        return matching.get(0);
    }
}
