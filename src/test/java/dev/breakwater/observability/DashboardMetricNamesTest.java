package dev.breakwater.observability;

import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A renamed metric must break this test, not silently blank a Grafana panel or an alert. */
class DashboardMetricNamesTest {

    @Test
    void everyMetricNameInTheGrafanaDashboardAndAlertRulesIsExposedOnMetrics() throws Exception {
        // given: what the dashboard and the alert rules select
        Set<String> recorded = PromQl.recordedNames();
        Set<String> used = new TreeSet<>();
        List<String> expressions = new ArrayList<>(PromQl.dashboardExpressions());
        expressions.addAll(PromQl.ruleExpressions());
        expressions.forEach(expr -> used.addAll(PromQl.metricNames(expr)));
        used.removeAll(recorded);

        // when: what /metrics exposes after traffic of every kind
        Set<String> exposed = exposedAfterTraffic();

        // then
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exposed);
        assertEquals(Set.of(), missing, "used in dashboards/ but not exposed on /metrics; exposed: " + exposed);
        assertTrue(used.size() >= 8, "the parser found the metric names: " + used);
        assertTrue(used.containsAll(Set.of("breakwater_http_server_requests_seconds_bucket",
                "breakwater_idempotency_decisions_total", "breakwater_ratelimit_rejections_total",
                "breakwater_load_shed_total", "breakwater_processor_calls_seconds_count",
                "breakwater_db_pool_active_connections", "breakwater_http_server_in_flight_requests")), used.toString());
    }

    @Test
    void recordingRulesUsedByAlertsAreDefinedInTheSameFile() throws Exception {
        Set<String> recorded = PromQl.recordedNames();
        for (String expr : PromQl.ruleExpressions()) {
            for (String name : PromQl.metricNames(expr)) {
                if (name.contains(":")) {
                    assertTrue(recorded.contains(name), name + " is used but not recorded");
                }
            }
        }
    }

    @Test
    void theNameParserSkipsFunctionsLabelsAndGrouping() {
        assertEquals(Set.of("a_total", "b_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (route, le) (rate(b_bucket{route=~\"/v1/.*\"}[5m])))"
                        + " / clamp_min(sum(rate(a_total{outcome=\"new\"}[$__rate_interval])) or vector(0), 0.1) > 1e3"));
    }

    private static Set<String> exposedAfterTraffic() {
        Set<String> exposed = new LinkedHashSet<>();
        try (TestApi api = TestApi.start()) {
            String visa = """
                    {"amount": 100, "currency": "usd", "payment_method": "%s"}""".formatted(SandboxProcessor.VISA);
            api.post("/v1/payments", KEY_A, "names-1", visa);
            api.post("/v1/payments", KEY_A, "names-1", visa);
            api.get("/v1/payments", KEY_A);
            Eventually.await("traffic counted", () -> PrometheusText.parse(MetricsEndpointTest.scrape(api).body())
                    .sum("breakwater_http_server_requests_seconds_count", "route", "/v1/payments") == 3);
            exposed.addAll(PrometheusText.parse(MetricsEndpointTest.scrape(api).body()).names());
        }
        // The rate limiter lives on another branch: its notes are fed to the same observer directly.
        try (ObservabilityFixture fixture = new ObservabilityFixture()) {
            fixture.completed("POST", "/v1/payments", ProblemType.QUOTA_EXCEEDED, Map.of("ratelimit", "rejected:default"));
            fixture.completed("POST", "/v1/payments", ProblemType.TEMPORARY_REDUCED_CAPACITY, Map.of("ratelimit", "shed"));
            exposed.addAll(fixture.scrape().names());
        }
        return exposed;
    }
}
