package dev.breakwater.observability;

import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads GET /dashboard in headless Chromium (Debian package {@code chromium}) and reads the rendered DOM. */
class DashboardPageTest {
    private static final List<String> PANELS = List.of("status-class", "errors", "throttled", "latency",
            "idempotency", "storm", "processor", "saturation");

    @Test
    void dashboardRendersEveryPanelWithLiveDataInAHeadlessBrowser(@TempDir Path profile) throws Exception {
        ExternalTool chromium = ExternalTool.require("chromium", "chromium", "chromium-browser");
        try (TestApi api = TestApi.start()) {
            // given: traffic in two dashboard samples (taken at most every 2 s), so there is a rate to draw
            String visa = """
                    {"amount": 100, "currency": "usd", "payment_method": "%s"}""".formatted(SandboxProcessor.VISA);
            api.post("/v1/payments", KEY_A, "page-1", visa);
            api.post("/v1/payments", KEY_A, "page-1", visa);
            api.post("/v1/payments", KEY_A, "page-2", visa);
            api.post("/v1/payments", KEY_A, "page-2", visa.replace("100", "200"));
            Thread.sleep(DashboardHistory.SAMPLE_EVERY.toMillis() + 200);
            api.get("/v1/payments", KEY_A);
            Eventually.await("the GET counted", () -> PrometheusText.parse(MetricsEndpointTest.scrape(api).body())
                    .sum("breakwater_http_server_requests_seconds_count", "method", "GET", "route", "/v1/payments") == 1);

            // when
            ExternalTool.Result result = chromium.run(profile, 90, List.of(
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile.resolve("profile"), "--virtual-time-budget=4000", "--dump-dom",
                    "http://127.0.0.1:" + api.app().port() + "/dashboard"));

            // then: the page fetched /dashboard/data, drew every panel with Chart.js and filled the totals
            String dom = result.output();
            assertEquals(0, result.exitCode(), dom);
            assertTrue(dom.contains("<body data-state=\"live\""), "the page loaded its data: " + dom);
            for (String panel : PANELS) {
                Matcher m = Pattern.compile("data-panel=\"" + panel + "\" data-rendered=\"true\" data-series=\"(\\d+)\" data-points=\"(\\d+)\"")
                        .matcher(dom);
                assertTrue(m.find(), panel + " was not rendered: " + dom);
                assertTrue(Integer.parseInt(m.group(2)) >= 1, panel + " has no points");
            }
            assertEquals("2", text(dom, "total-new"));
            assertEquals("1", text(dom, "total-replayed"));
            assertEquals("1", text(dom, "total-mismatch"));
            assertEquals("5", text(dom, "total-requests"), "API requests only; the page's own requests are not counted");
            assertTrue(dom.contains("id=\"verdict\" class=\"verdict"), dom);
            Matcher v1 = Pattern.compile("<tr data-account=\"acct_a\"[^>]*>.*?<td data-calls=\"v1\">(\\d+)</td>")
                    .matcher(dom);
            assertTrue(v1.find(), "the who-still-calls-v1 table has a row for acct_a: " + dom);
            assertEquals("5", v1.group(1), "acct_a's five /v1 requests");
        }
    }

    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(dom);
        assertTrue(m.find(), id + " missing");
        return m.group(1);
    }
}
