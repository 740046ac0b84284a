package dev.breakwater.observability;

import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsEndpointTest {
    private static final String REQUESTS = "breakwater_http_server_requests_seconds_count";
    private static final String BUCKETS = "breakwater_http_server_requests_seconds_bucket";
    private static final String DECISIONS = "breakwater_idempotency_decisions_total";
    private static final String PROCESSOR = "breakwater_processor_calls_seconds_count";

    private static String payment(String paymentMethod, long amount) {
        return """
                {"amount": %d, "currency": "usd", "payment_method": "%s"}""".formatted(amount, paymentMethod);
    }

    @Test
    void scrapeAfterKnownTrafficCountsEachRequestByRouteTemplateMethodAndStatus() {
        try (TestApi api = TestApi.start(c -> c.withProcessor(null, Duration.ofMillis(200), SandboxProcessor.Faults.NONE))) {
            // given: known traffic, every outcome once or twice
            String visa = payment(SandboxProcessor.VISA, 1000);
            ApiResponse created = api.post("/v1/payments", KEY_A, "k1", visa);                               // 201 new
            assertEquals(201, api.post("/v1/payments", KEY_A, "k1", visa).status());                         // 201 replayed
            assertEquals(422, api.post("/v1/payments", KEY_A, "k1", payment(SandboxProcessor.VISA, 2000)).status()); // mismatch
            assertEquals(201, api.post("/v1/payments", KEY_A, "k2", visa).status());                         // 201 new
            String failing = payment(SandboxProcessor.PROCESSOR_ERROR, 1000);
            assertEquals(502, api.post("/v1/payments", KEY_A, "k3", failing).status());                      // 502 new
            assertEquals(502, api.post("/v1/payments", KEY_A, "k3", failing).status());                      // 502 resumed
            assertEquals(402, api.post("/v1/payments", KEY_A, "k4", payment(SandboxProcessor.DECLINED, 1000)).status());
            assertEquals(504, api.post("/v1/payments", KEY_A, "k5", payment(SandboxProcessor.PROCESSOR_TIMEOUT, 1000)).status());
            assertEquals(200, api.get("/v1/payments/" + created.json().get("id").asText(), KEY_A).status());
            assertEquals(404, api.get("/v1/payments/pay_000000000000000000000000", KEY_A).status());
            assertEquals(401, api.get("/v1/payments", "sk_test_not_a_real_key_000000").status());
            assertEquals(404, api.send(api.request("/nowhere/" + System.nanoTime()).GET().build()).status());
            assertEquals(404, api.send(api.request("/elsewhere").method("FOO", HttpRequest.BodyPublishers.noBody()).build()).status());
            assertEquals(405, api.send(api.request("/health").DELETE().build()).status());

            // when
            PrometheusText metrics = scrapeOnce14RequestsAreRecorded(api);

            // then: requests by route template (never the raw path), method and status
            assertEquals(3, metrics.value(REQUESTS, "method", "POST", "route", "/v1/payments", "status", "201"));
            assertEquals(1, metrics.value(REQUESTS, "method", "POST", "route", "/v1/payments", "status", "422"));
            assertEquals(2, metrics.value(REQUESTS, "method", "POST", "route", "/v1/payments", "status", "502", "status_class", "5xx"));
            assertEquals(1, metrics.value(REQUESTS, "method", "POST", "route", "/v1/payments", "status", "402"));
            assertEquals(1, metrics.value(REQUESTS, "method", "POST", "route", "/v1/payments", "status", "504"));
            assertEquals(1, metrics.value(REQUESTS, "method", "GET", "route", "/v1/payments/{id}", "status", "200"));
            assertEquals(1, metrics.value(REQUESTS, "method", "GET", "route", "/v1/payments/{id}", "status", "404"));
            // answered by the auth filter before routing, still labelled with its route
            assertEquals(1, metrics.value(REQUESTS, "method", "GET", "route", "/v1/payments", "status", "401"));
            // unknown paths and methods share fixed labels, so clients cannot create series
            assertEquals(1, metrics.value(REQUESTS, "method", "GET", "route", "unmatched", "status", "404"));
            assertEquals(1, metrics.value(REQUESTS, "method", "OTHER", "route", "unmatched", "status", "404"));
            assertEquals(1, metrics.value(REQUESTS, "method", "DELETE", "route", "unmatched", "status", "405"));
            // the latency histogram's +Inf bucket holds every request of its series
            assertEquals(3, metrics.value(BUCKETS, "method", "POST", "route", "/v1/payments", "status", "201", "le", "+Inf"));

            // idempotency decisions
            assertEquals(5, metrics.value(DECISIONS, "route", "/v1/payments", "outcome", "new"));
            assertEquals(1, metrics.value(DECISIONS, "route", "/v1/payments", "outcome", "replayed"));
            assertEquals(1, metrics.value(DECISIONS, "route", "/v1/payments", "outcome", "mismatch"));
            assertEquals(1, metrics.value(DECISIONS, "route", "/v1/payments", "outcome", "resumed"));

            // processor calls by outcome (the replay and the mismatch never reach the processor)
            assertEquals(2, metrics.value(PROCESSOR, "operation", "authorize", "outcome", "approved"));
            assertEquals(2, metrics.value(PROCESSOR, "operation", "authorize", "outcome", "error"));
            assertEquals(1, metrics.value(PROCESSOR, "operation", "authorize", "outcome", "declined"));
            assertEquals(1, metrics.value(PROCESSOR, "operation", "authorize", "outcome", "timeout"));

            // gauges: the scrape itself is the one request in flight; the pool is the configured size
            assertEquals(1, metrics.value("breakwater_http_server_in_flight_requests"));
            assertEquals(api.config().dbPoolSize(), metrics.value("breakwater_db_pool_max_connections"));
            assertEquals(0, metrics.value("breakwater_db_pool_active_connections"));
            assertEquals(0, metrics.value("breakwater_load_shed_total"));
        }
    }

    private static PrometheusText scrapeOnce14RequestsAreRecorded(TestApi api) {
        Eventually.await("14 requests in the metrics", () -> PrometheusText.parse(scrape(api).body())
                .samples().stream()
                .filter(s -> s.name().equals(REQUESTS) && !s.labels().get("route").equals("/metrics"))
                .mapToDouble(PrometheusText.Sample::value).sum() == 14);
        return PrometheusText.parse(scrape(api).body());
    }

    static ApiResponse scrape(TestApi api) {
        return api.send(api.request("/metrics").GET().build());
    }

    @Test
    void metricsAreServedInThePrometheusTextFormatToLoopbackByDefault() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = scrape(api);

            assertEquals(200, response.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
            assertEquals("no-store", response.header("Cache-Control"));
            assertTrue(response.body().contains("# TYPE breakwater_http_server_requests_seconds histogram")
                    || response.body().contains("# TYPE breakwater_db_pool_max_connections gauge"), response.body());
        }
    }

    @Test
    void metricsAndDashboardAnswer404ToAddressesOutsideTheAllowList() {
        try (TestApi api = TestApi.start(c -> c.withObservability(ObservabilityConfig.DEFAULTS.withMetricsAllow("10.0.0.0/8")))) {
            for (String path : new String[] {"/metrics", "/dashboard", "/dashboard/data", "/dashboard/assets/dashboard.js"}) {
                ApiResponse response = api.send(api.request(path).GET().build());

                assertEquals(404, response.status(), path);
                assertEquals("application/problem+json", response.contentType(), path);
                assertEquals("/problems/not-found", response.problemType(), path);
            }
            // the rest of the API is unaffected
            assertEquals(200, api.send(api.request("/health").GET().build()).status());
        }
    }

    @Test
    void dashboardPageAndAssetsAreServedFromTheJarWithoutThirdPartyOrigins() {
        try (TestApi api = TestApi.start()) {
            ApiResponse page = api.send(api.request("/dashboard").GET().build());
            ApiResponse chartJs = api.send(api.request("/dashboard/assets/chart.umd.min.js").GET().build());
            ApiResponse unknown = api.send(api.request("/dashboard/assets/../../etc/passwd").GET().build());
            ApiResponse data = api.send(api.request("/dashboard/data?since=0").GET().build());

            assertEquals(200, page.status());
            assertTrue(page.contentType().startsWith("text/html"));
            assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
            assertTrue(page.body().contains("/dashboard/assets/chart.umd.min.js"));
            assertTrue(!page.body().contains("https://") && !page.body().contains("http://"), "no external origin");
            assertEquals(200, chartJs.status());
            assertTrue(chartJs.body().contains("Chart.js"), "the Chart.js WebJar bundle");
            assertEquals(404, unknown.status());
            assertEquals(200, data.status());
            assertTrue(data.json().has("points") && data.json().has("totals"), data.body());
        }
    }

    @Test
    void dashboardDataRejectsAMalformedSince() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.send(api.request("/dashboard/data?since=yesterday").GET().build());

            assertEquals(400, response.status());
            assertEquals("/problems/invalid-parameter", response.problemType());
        }
    }
}
