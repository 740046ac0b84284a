package dev.breakwater.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.breakwater.support.ProblemAssert.assertProblem;
import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real edge configured with {@code BREAKWATER_PROCESSOR_URL} at the real gateway, once over
 * each transport: the same requests must give the same answers the in-process sandbox gives,
 * each gateway failure the edge's documented problem, and every charge happens once, at the
 * gateway's own ledger.
 */
class GatewayThroughTheEdgeTest {
    /** For the tests about a slow gateway: well below the gateway's hang. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);
    /** Everywhere else: room for the first call of a cold JVM (class loading, connection setup). */
    private static final Duration EDGE_TIMEOUT = Duration.ofSeconds(5);

    private static String payment(String method) {
        return """
                {"amount": 1000, "currency": "usd", "payment_method": "%s"}""".formatted(method);
    }

    private static TestApi edge(URI gateway, Duration timeout) {
        return TestApi.start(c -> c.withProcessor(gateway, timeout, SandboxProcessor.Faults.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void paymentIsChargedOnceAtTheGatewayAndItsRetryReplays(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            ApiResponse first = api.post("/v1/payments", KEY_A, "order-1", payment(SandboxProcessor.VISA));
            ApiResponse retry = api.post("/v1/payments", KEY_A, "order-1", payment(SandboxProcessor.VISA));

            assertEquals(201, first.status(), first::toString);
            assertEquals(201, retry.status(), retry::toString);
            assertEquals("true", retry.header("Idempotent-Replayed"));
            String paymentId = first.json().get("id").asText();
            assertEquals(paymentId, retry.json().get("id").asText());
            assertEquals(1, gateway.ledger().chargesFor(paymentId), "one charge, at the gateway");
            assertEquals(0, new Ledger(api.app().dataSource()).charges(), "the edge's in-process sandbox was not used");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void captureCancelAndRefundGoThroughTheGatewayOnce(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            String captured = api.createPayment(KEY_A, 5000, "manual");
            String cancelled = api.createPayment(KEY_A, 700, "manual");

            assertEquals(200, api.post("/v1/payments/" + captured + "/capture", KEY_A, "{}").status());
            assertEquals(200, api.post("/v1/payments/" + cancelled + "/cancel", KEY_A, "{}").status());
            ApiResponse refund = api.post("/v1/refunds", KEY_A, """
                    {"payment": "%s", "amount": 1200}""".formatted(captured));

            assertEquals(201, refund.status(), refund::toString);
            Ledger ledger = gateway.ledger();
            assertEquals(1, ledger.count("SELECT COUNT(*) FROM sandbox_operations WHERE operation = 'capture'"));
            assertEquals(1, ledger.count("SELECT COUNT(*) FROM sandbox_operations WHERE operation = 'cancel'"));
            assertEquals(1, ledger.count("SELECT COUNT(*) FROM sandbox_operations WHERE operation = 'refund' AND amount = 1200"));
        }
    }

    /** The edge's processor timeout is the call's deadline: a gateway that hangs past it is the documented 504. */
    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void gatewaySlowerThanTheEdgeTimeoutIs504(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(c -> c.withFaults(SandboxProcessor.Faults.NONE, Duration.ofSeconds(3)));
             TestApi api = edge(gateway.url(transport), SHORT_TIMEOUT)) {
            long start = System.nanoTime();
            ApiResponse response = api.post("/v1/payments", KEY_A, payment(SandboxProcessor.PROCESSOR_TIMEOUT));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertProblem(response, 504, "processor-timeout");
            assertTrue(millis < 2500, "the edge gave up at its deadline, not when the gateway did: " + millis + " ms");
        }
    }

    /** The answer is lost after the gateway recorded the charge: the retry gets that first charge, not a second. */
    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void chargeWhoseAnswerWasLostIsReplayedByTheGatewayOnRetry(String transport) {
        SandboxProcessor.Faults everyAnswerLost = new SandboxProcessor.Faults(0, 1.0, Duration.ZERO);
        try (GatewayFixture gateway = GatewayFixture.start(c -> c.withFaults(everyAnswerLost, Duration.ofSeconds(2)));
             TestApi api = edge(gateway.url(transport), SHORT_TIMEOUT)) {
            ApiResponse lost = api.post("/v1/payments", KEY_A, "order-7", payment(SandboxProcessor.VISA));
            ApiResponse retry = api.post("/v1/payments", KEY_A, "order-7", payment(SandboxProcessor.VISA));

            assertProblem(lost, 504, "processor-timeout");
            assertEquals(201, retry.status(), retry::toString);
            String paymentId = retry.json().get("id").asText();
            assertEquals(1, gateway.ledger().charges(), "the retry found the first charge at the gateway");
            assertEquals(1, gateway.ledger().chargesFor(paymentId));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void processorErrorAtTheGatewayIs502(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            assertProblem(api.post("/v1/payments", KEY_A, payment(SandboxProcessor.PROCESSOR_ERROR)), 502, "processor-error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void declineAtTheGatewayIs402WithItsCode(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            ApiResponse response = api.post("/v1/payments", KEY_A, payment(SandboxProcessor.INSUFFICIENT_FUNDS));

            assertProblem(response, 402, "card-declined");
            assertEquals("insufficient_funds", response.json().get("decline_code").asText());
        }
    }

    /** INVALID_ARGUMENT (gRPC) and the 422 problem (HTTP) carry the field back: the same 422 the sandbox gives. */
    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void unknownPaymentMethodIs422PointingAtTheFieldAsInProcess(String transport) {
        String body = payment("pm_card_nonsense");
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT);
             TestApi inProcess = TestApi.start()) {
            ApiResponse remote = api.post("/v1/payments", KEY_A, body);
            ApiResponse local = inProcess.post("/v1/payments", KEY_A, body);

            assertProblem(remote, 422, "unprocessable");
            assertEquals(local.json().get("errors"), remote.json().get("errors"));
            assertEquals("/payment_method", remote.json().at("/errors/0/pointer").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void stoppedGatewayIs503WithRetryAfter(String transport) {
        GatewayFixture gateway = GatewayFixture.start();
        URI url = gateway.url(transport);
        gateway.close();
        try (TestApi api = edge(url, EDGE_TIMEOUT)) {
            ApiResponse response = api.post("/v1/payments", KEY_A, payment(SandboxProcessor.VISA));

            assertProblem(response, 503, "processor-unavailable");
            assertEquals("1", response.header("Retry-After"));
        }
    }

    /** RESOURCE_EXHAUSTED (gRPC) and 429 (HTTP) from a gateway at its in-flight limit: 503, retry later. */
    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void gatewayAtItsInFlightLimitIs503WithRetryAfter(String transport) throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(c -> c.withMaxInFlight(1)
                .withFaults(SandboxProcessor.Faults.NONE, Duration.ofMillis(1500)));
             TestApi api = edge(gateway.url(transport), Duration.ofSeconds(3))) {
            CompletableFuture<ApiResponse> hanging = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/payments", KEY_A, payment(SandboxProcessor.PROCESSOR_TIMEOUT)));
            awaitInFlight(gateway, 1);

            ApiResponse refused = api.post("/v1/payments", KEY_A, payment(SandboxProcessor.VISA));

            assertProblem(refused, 503, "processor-unavailable");
            assertEquals("1", refused.header("Retry-After"));
            assertEquals(0, gateway.ledger().charges(), "a refused call did nothing at the gateway");
            assertProblem(hanging.get(10, TimeUnit.SECONDS), 504, "processor-timeout");
        }
    }

    /** The caller's trace reaches the gateway's log line as a child: same trace id, a new parent id. */
    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void callersTraceparentReachesTheGatewayLogAsAChildSpan(String transport) {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String incoming = "00-" + traceId + "-00f067aa0ba902b7-01";
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            ApiResponse response = api.send(api.request("/v1/payments")
                    .header("Authorization", "Bearer " + KEY_A)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "traced-1")
                    .header("traceparent", incoming)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(payment(SandboxProcessor.VISA)))
                    .build());

            assertEquals(201, response.status(), response::toString);
            JsonNode line = Json.parse(gateway.logLines().stream().filter(l -> l.contains("\"authorize\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("no authorize line in " + gateway.logLines())));
            assertEquals(transport, line.get("transport").asText());
            assertEquals("approved", line.get("outcome").asText());
            String forwarded = line.get("traceparent").asText();
            assertTrue(forwarded.startsWith("00-" + traceId + "-"), forwarded);
            assertNotEquals(incoming, forwarded, "the gateway call is a child span of the edge's request");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void requestWithoutTraceparentStartsATraceTheGatewaySees(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            assertEquals(201, api.post("/v1/payments", KEY_A, payment(SandboxProcessor.VISA)).status());

            JsonNode line = Json.parse(gateway.logLines().stream().filter(l -> l.contains("\"authorize\"")).findFirst()
                    .orElseThrow());
            assertTrue(line.path("traceparent").asText().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), line.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void processorCallMetricsAreLabelledByTransport(String transport) {
        try (GatewayFixture gateway = GatewayFixture.start(); TestApi api = edge(gateway.url(transport), EDGE_TIMEOUT)) {
            assertEquals(201, api.post("/v1/payments", KEY_A, payment(SandboxProcessor.VISA)).status());

            String metrics = api.send(api.request("/metrics").GET().build()).body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("breakwater_processor_calls_seconds_count{")
                    && l.contains("operation=\"authorize\"") && l.contains("outcome=\"approved\"")
                    && l.contains("transport=\"" + transport + "\"")), metrics);
            assertFalse(metrics.contains("transport=\"sandbox\""), "no call went to the in-process sandbox");
        }
    }

    private static void awaitInFlight(GatewayFixture gateway, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.gateway().callsInFlight() < calls) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway never had " + calls + " calls in flight");
            }
            Thread.sleep(5);
        }
    }
}
