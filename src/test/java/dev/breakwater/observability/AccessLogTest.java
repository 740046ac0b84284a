package dev.breakwater.observability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.App;
import dev.breakwater.common.Json;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static dev.breakwater.support.TestApi.ACCOUNT_A;
import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogTest {
    private static final String WRONG_KEY = "sk_test_wrong_secret_0123456789";

    @Test
    void writesOneJsonLinePerRequestWithOutcomesAndNoSecrets() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams)) {
            // given: a card token in a body, secrets in Authorization headers
            String body = """
                    {"amount": 1500, "currency": "eur", "payment_method": "pm_card_mastercard"}""";
            ApiResponse created = api.post("/v1/payments", KEY_A, "log-key-1", body);
            ApiResponse replayed = api.post("/v1/payments", KEY_A, "log-key-1", body);
            ApiResponse unauthorized = api.get("/v1/customers", WRONG_KEY);
            ApiResponse missing = api.get("/v1/payments/pay_000000000000000000000000", KEY_A);

            // when
            Eventually.await("4 access log lines", () -> lines(stdout).size() == 4);
            Map<String, JsonNode> byRequestId = lines(stdout).stream().map(Json::parse)
                    .collect(Collectors.toMap(l -> l.get("request_id").asText(), l -> l));

            // then: one line per request, each with the request id the client saw (a line is
            // written after its answer, so two requests' lines may come in either order)
            assertEquals(Set.of(created.header("Request-Id"), replayed.header("Request-Id"),
                    unauthorized.header("Request-Id"), missing.header("Request-Id")), byRequestId.keySet());
            List<JsonNode> lines = List.of(byRequestId.get(created.header("Request-Id")),
                    byRequestId.get(replayed.header("Request-Id")), byRequestId.get(unauthorized.header("Request-Id")),
                    byRequestId.get(missing.header("Request-Id")));
            JsonNode first = lines.get(0);
            assertEquals("access", first.get("log").asText());
            assertTrue(Instant.parse(first.get("timestamp").asText()).isBefore(Instant.now().plusSeconds(1)));
            assertEquals(ACCOUNT_A, first.get("account").asText());
            assertEquals("POST", first.get("method").asText());
            assertEquals("/v1/payments", first.get("route").asText());
            assertEquals(201, first.get("status").asInt());
            assertTrue(first.get("latency_ms").isNumber() && first.get("latency_ms").asDouble() > 0);
            assertEquals("new", first.get("idempotency").asText());
            assertEquals("allowed", first.get("ratelimit").asText());
            assertTrue(first.get("problem_type").isNull());

            assertEquals("replayed", lines.get(1).get("idempotency").asText());

            JsonNode denied = lines.get(2);
            assertEquals(401, denied.get("status").asInt());
            assertEquals("/v1/customers", denied.get("route").asText());
            assertTrue(denied.get("account").isNull());
            assertEquals("/problems/unauthorized", denied.get("problem_type").asText());

            JsonNode notFound = lines.get(3);
            assertEquals("/v1/payments/{id}", notFound.get("route").asText(), "the template, not the path with the id");
            assertEquals("/problems/not-found", notFound.get("problem_type").asText());

            // no secrets and no bodies, ever
            String log = stdout.toString(StandardCharsets.UTF_8);
            for (String secret : new String[] {KEY_A, WRONG_KEY, "Bearer", "pm_card_mastercard", "log-key-1", "1500"}) {
                assertFalse(log.contains(secret), "the access log must not contain " + secret + ":\n" + log);
            }
        }
    }

    @Test
    void accessLogCanBeTurnedOff() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        ObservabilityConfig off = new ObservabilityConfig(ObservabilityConfig.DEFAULTS.metricsAllow(), false);
        try (TestApi api = TestApi.start(c -> c.withObservability(off), seams)) {
            api.get("/v1/customers", KEY_A);
            // the metrics still see it, so once it is counted the log would have been written too
            Eventually.await("the request to be counted", () -> PrometheusText.parse(MetricsEndpointTest.scrape(api).body())
                    .value("breakwater_http_server_requests_seconds_count", "route", "/v1/customers") == 1);

            assertEquals(List.of(), lines(stdout));
        }
    }

    @Test
    void aCleanStopWritesExactlyOneLinePerRequestOfABurst() {
        // given: a burst of concurrent requests, all answered
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        int requests = 300;
        Set<String> requestIds = ConcurrentHashMap.newKeySet();
        TestApi api = TestApi.start(UnaryOperator.identity(), seams);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                String path = i % 2 == 0 ? "/v1/customers" : "/v1/payments/pay_000000000000000000000000";
                clients.submit(() -> requestIds.add(api.get(path, KEY_A).header("Request-Id")));
            }
        } finally {
            // when: the server stops cleanly, straight after the last answer
            api.close();
        }

        // then: each request has its line, none twice, none missing
        List<String> accessRequestIds = Arrays.stream(stdout.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.startsWith("{"))
                .map(Json::parse)
                .filter(line -> line.get("log").asText().equals("access"))
                .map(line -> line.get("request_id").asText())
                .toList();
        assertEquals(requests, requestIds.size());
        assertEquals(requests, accessRequestIds.size());
        assertEquals(requestIds, Set.copyOf(accessRequestIds));
    }

    private static List<String> lines(ByteArrayOutputStream stdout) {
        return Arrays.stream(stdout.toString(StandardCharsets.UTF_8).split("\n"))
                .filter(line -> line.startsWith("{"))
                .filter(line -> !line.contains("\"route\":\"/metrics\""))
                .toList();
    }
}
