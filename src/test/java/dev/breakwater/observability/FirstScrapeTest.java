package dev.breakwater.observability;

import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The labelled counters that the Grafana dashboard and the alert rules select exist at 0 on a
 * fresh server's first scrape, so "no rejections yet" is told apart from "metric missing", and
 * the first increment of a series is seen by rate() instead of being its birth.
 */
class FirstScrapeTest {
    private static final String REJECTIONS = "breakwater_ratelimit_rejections_total";
    private static final String DECISIONS = "breakwater_idempotency_decisions_total";
    private static final String PROCESSOR = "breakwater_processor_calls_seconds_count";
    /** Labelled by status and route of real traffic (no closed set); the rules guard them with clamp_min. */
    private static final String TRAFFIC = "breakwater_http_server_requests_seconds";
    private static final Pattern SELECTOR = Pattern.compile("(breakwater_[a-z_]+)\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)(=~|=)\"([^\"]*)\"");

    @Test
    void rateLimitRejectionsExistAtZeroForEveryPolicyBeforeAnyRequest() {
        try (TestApi api = TestApi.start()) {
            PrometheusText first = PrometheusText.parse(MetricsEndpointTest.scrape(api).body());

            for (String policy : List.of("writes", "reads", "auth-failures", "concurrency")) {
                assertEquals(1, first.matchingCount(REJECTIONS, "policy", policy), "no " + REJECTIONS + "{policy=" + policy + "}");
                assertEquals(0, first.value(REJECTIONS, "policy", policy));
            }
            assertEquals(0, first.value("breakwater_load_shed_total"));
            assertTrue(first.names().contains("breakwater_load_shed_total"));
        }
    }

    @Test
    void idempotencyDecisionsAndProcessorCallsExistAtZeroForEveryRouteAndOutcome() {
        try (TestApi api = TestApi.start()) {
            PrometheusText first = PrometheusText.parse(MetricsEndpointTest.scrape(api).body());

            for (String route : List.of("/v1/customers", "/v1/payments", "/v1/payments/{id}/capture",
                    "/v1/payments/{id}/cancel", "/v1/refunds")) {
                for (String outcome : List.of("new", "resumed", "replayed", "conflict", "mismatch")) {
                    assertEquals(1, first.matchingCount(DECISIONS, "route", route, "outcome", outcome),
                            "no " + DECISIONS + "{route=" + route + ",outcome=" + outcome + "}");
                    assertEquals(0, first.value(DECISIONS, "route", route, "outcome", outcome));
                }
            }
            for (String operation : List.of("authorize", "capture", "cancel", "refund")) {
                for (String outcome : List.of("approved", "declined", "invalid", "error", "timeout", "unavailable")) {
                    assertEquals(1, first.matchingCount(PROCESSOR, "operation", operation, "outcome", outcome),
                            "no " + PROCESSOR + "{operation=" + operation + ",outcome=" + outcome + "}");
                    assertEquals(0, first.value(PROCESSOR, "operation", operation, "outcome", outcome));
                }
            }
        }
    }

    @Test
    void everySeriesTheDashboardAndAlertsSelectByLiteralLabelsIsOnTheFirstScrape() throws Exception {
        // given every selector in dashboards/ (the traffic histogram aside: its labels come from traffic)
        List<String> expressions = new ArrayList<>(PromQl.dashboardExpressions());
        expressions.addAll(PromQl.ruleExpressions());
        Set<String> recorded = PromQl.recordedNames();

        try (TestApi api = TestApi.start()) {
            // when the fresh server is scraped for the first time
            PrometheusText first = PrometheusText.parse(MetricsEndpointTest.scrape(api).body());

            // then each selected name, and each literal label value a selector names, has a series
            Set<String> missing = new TreeSet<>();
            int checked = 0;
            for (String expr : expressions) {
                for (String name : PromQl.metricNames(expr)) {
                    if (!recorded.contains(name) && !name.startsWith(TRAFFIC) && !first.names().contains(name)) {
                        missing.add(name);
                    }
                    checked++;
                }
                Matcher selector = SELECTOR.matcher(expr.replace("\\\"", "\""));
                while (selector.find()) {
                    if (selector.group(1).startsWith(TRAFFIC)) {
                        continue;
                    }
                    Matcher m = MATCHER.matcher(selector.group(2));
                    while (m.find()) {
                        if (!m.group(3).matches("[a-z_|-]+")) {
                            continue; // a real regex such as "/v1/.*": no closed set of values to expect
                        }
                        for (String value : m.group(3).split("\\|")) {
                            checked++;
                            if (first.matchingCount(selector.group(1), m.group(1), value) == 0) {
                                missing.add(selector.group(1) + "{" + m.group(1) + "=\"" + value + "\"}");
                            }
                        }
                    }
                }
            }
            assertEquals(Set.of(), missing, "selected by dashboards/ but absent from the first scrape");
            assertTrue(checked > 20, "the selectors were parsed: " + checked);
        }
    }
}
