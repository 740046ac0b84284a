package dev.breakwater.versions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.http.ratelimit.RateLimitConfig;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** v1 deprecated and retiring, v2 current, both through one model: the headers, the 410 and every cross-version seam. */
class VersioningTest {
    private static final Instant DEPRECATED = Instant.parse("2026-12-03T00:00:00Z");
    private static final Instant SUNSET = Instant.parse("2027-12-31T23:59:59Z");
    private static final Lifecycle SCHEDULE = new Lifecycle(DEPRECATED, SUNSET);
    /** RFC 9110 section 5.6.7: IMF-fixdate, two-digit day, GMT. */
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$");
    /** RFC 8288 link-value: {@code <target>; param=value; ...}, with rel possibly quoted. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[a-zA-Z*-]+=(?:\"[^\"]*\"|[^;,\\s]+))*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel=(?:\"([^\"]*)\"|([^;,\\s]+))");
    private static final String VISA_V1 = """
            {"amount": 2000, "currency": "usd", "payment_method": "pm_card_visa", "capture_method": "manual"}""";
    private static final String VISA_V2 = """
            {"amount": {"value": 2000, "currency": "usd"}, "payment_method": "pm_card_visa", "capture_method": "manual"}""";

    private static TestApi deprecated() {
        return TestApi.start(c -> c.withV1Lifecycle(SCHEDULE));
    }

    private static TestApi at(Instant now, UnaryOperator<AppConfig> customize) {
        App.Seams seams = new App.Seams(Clock.fixed(now, ZoneOffset.UTC), UnaryOperator.identity(),
                new PrintStream(new ByteArrayOutputStream()));
        return TestApi.start(c -> customize.apply(c.withV1Lifecycle(SCHEDULE)), seams);
    }

    @Test
    void everyV1ResponseSuccessAndProblemCarriesDeprecationSunsetAndTheirLinks() {
        try (TestApi api = deprecated()) {
            List<ApiResponse> responses = List.of(
                    api.post("/v1/payments", KEY_A, VISA_V1),
                    api.get("/v1/payments", KEY_A),
                    api.get("/v1/payments/pay_000000000000000000000000", KEY_A),
                    api.get("/v1/payments", "sk_test_not_a_key_at_all_000"));
            assertEquals(List.of(201, 200, 404, 401), responses.stream().map(ApiResponse::status).toList());

            for (ApiResponse response : responses) {
                Matcher deprecation = Pattern.compile("^@(-?\\d{1,15})$").matcher(response.header("Deprecation"));
                assertTrue(deprecation.matches(), "Deprecation must be a Structured Field Date: " + response.header("Deprecation"));
                assertEquals(DEPRECATED.getEpochSecond(), Long.parseLong(deprecation.group(1)));

                String sunset = response.header("Sunset");
                assertTrue(IMF_FIXDATE.matcher(sunset).matches(), "Sunset must be an IMF-fixdate: " + sunset);
                assertEquals(SUNSET, ZonedDateTime.parse(sunset, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());

                Map<String, String> links = linksByRel(response);
                assertEquals("/docs/versioning#migrating-from-v1-to-v2", links.get("deprecation"));
                assertEquals("/docs/versioning#sunset-policy", links.get("sunset"));
                assertTrue(links.get("successor-version").startsWith("/v2/payments"), links.toString());
            }
        }
    }

    @Test
    void deprecationLinksJoinAListsNextLinkWithoutReplacingIt() {
        try (TestApi api = deprecated()) {
            api.createPayment(KEY_A, 100, "automatic");
            api.createPayment(KEY_A, 200, "automatic");

            ApiResponse first = api.get("/v1/payments?limit=1", KEY_A);
            ApiResponse last = api.get(linksByRel(first).get("next"), KEY_A);

            assertEquals("/v1/payments?limit=1&cursor=" + first.json().get("next_cursor").asText(), linksByRel(first).get("next"));
            assertTrue(first.header("Link").startsWith("</v1/payments?limit=1&cursor="), "rel=next comes first");
            assertFalse(linksByRel(last).containsKey("next"));
            assertEquals("/docs/versioning#migrating-from-v1-to-v2", linksByRel(last).get("deprecation"));
        }
    }

    @Test
    void v2ResponsesCarryNeitherDeprecationNorSunset() {
        try (TestApi api = deprecated()) {
            List<ApiResponse> responses = List.of(api.post("/v2/payments", KEY_A, VISA_V2), api.get("/v2/payments", KEY_A),
                    api.get("/v2/payments/pay_000000000000000000000000", KEY_A));
            assertEquals(List.of(201, 200, 404), responses.stream().map(ApiResponse::status).toList());
            for (ApiResponse response : responses) {
                assertNull(response.header("Deprecation"));
                assertNull(response.header("Sunset"));
                assertFalse(linksByRel(response).containsKey("deprecation"));
            }
        }
    }

    @Test
    void theServerRefusesToStartWithASunsetBeforeTheDeprecation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppConfig.fromEnv(Map.of(
                "BREAKWATER_V1_DEPRECATED_AT", "2027-06-01T00:00:00Z", "BREAKWATER_V1_SUNSET_AT", "2027-01-01T00:00:00Z")));
        assertTrue(e.getMessage().contains("BREAKWATER_V1_SUNSET_AT"), e.getMessage());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), AppConfig.fromEnv(Map.of(
                "BREAKWATER_V1_DEPRECATED_AT", "2027-01-01T00:00:00Z", "BREAKWATER_V1_SUNSET_AT", "2027-01-01T00:00:00Z"))
                .v1Lifecycle().sunsetAt());
    }

    @Test
    void afterTheSunsetV1Answers410PointingAtV2AndExecutesNothing() {
        try (TestApi api = at(SUNSET.plusSeconds(1), c -> c)) {
            ApiResponse create = api.post("/v1/payments", KEY_A, VISA_V1);
            ApiResponse read = api.get("/v1/payments/pay_000000000000000000000000", KEY_A);

            assertEquals(410, create.status(), create::toString);
            assertEquals("/problems/api-version-sunset", create.problemType());
            assertEquals("application/problem+json", create.contentType());
            assertEquals("/v2/payments", create.json().get("successor_version").asText());
            assertEquals("/v2/payments", linksByRel(create).get("successor-version"));
            assertEquals("/v2/payments/pay_000000000000000000000000", read.json().get("successor_version").asText());
            assertTrue(IMF_FIXDATE.matcher(create.header("Sunset")).matches());
            assertEquals(0, api.get("/v2/payments", KEY_A).json().get("data").size(), "the 410 created nothing");
        }
        try (TestApi api = at(SUNSET.minusSeconds(1), c -> c)) {
            assertEquals(201, api.post("/v1/payments", KEY_A, VISA_V1).status(), "the second before the sunset still serves");
        }
    }

    @Test
    void v2SpeaksMoneyObjectsForTheSamePaymentV1Sees() {
        try (TestApi api = deprecated()) {
            ApiResponse created = api.post("/v2/payments", KEY_A, VISA_V2);
            String id = created.json().get("id").asText();

            JsonNode v2 = created.json();
            JsonNode v1 = api.get("/v1/payments/" + id, KEY_A).json();

            assertEquals(201, created.status());
            assertEquals("/v2/payments/" + id, created.header("Location"));
            assertEquals(Map.of("value", 2000, "currency", "usd"), money(v2.get("amount")));
            assertEquals(Map.of("value", 2000, "currency", "usd"), money(v2.get("amount_capturable")));
            assertEquals(Map.of("value", 0, "currency", "usd"), money(v2.get("amount_captured")));
            assertFalse(v2.has("currency"));
            assertEquals(2000, v1.get("amount").asLong());
            assertEquals("usd", v1.get("currency").asText());
            assertEquals(v1.get("status"), v2.get("status"));
        }
    }

    @Test
    void aV1ResourceReadsThroughV2InV2Shape() {
        try (TestApi api = deprecated()) {
            String id = api.createPayment(KEY_A, 1500, "automatic");
            String refund = api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 500}").json()
                    .get("id").asText();

            JsonNode payment = api.get("/v2/payments/" + id, KEY_A).json();
            JsonNode refunded = api.get("/v2/refunds/" + refund, KEY_A).json();

            assertEquals(Map.of("value", 500, "currency", "usd"), money(payment.get("amount_refunded")));
            assertEquals(Map.of("value", 500, "currency", "usd"), money(refunded.get("amount")));
            assertFalse(refunded.has("currency"));
        }
    }

    @Test
    void v2RejectsV1ShapedMoneyWithPointersInV2Spelling() {
        try (TestApi api = deprecated()) {
            ApiResponse integer = api.post("/v2/payments", KEY_A, VISA_V1);
            ApiResponse noCurrency = api.post("/v2/payments", KEY_A, """
                    {"amount": {"value": 2000}, "payment_method": "pm_card_visa"}""");
            ApiResponse tooLarge = api.post("/v2/payments", KEY_A, """
                    {"amount": {"value": 100000000, "currency": "usd"}, "payment_method": "pm_card_visa"}""");
            ApiResponse unsupported = api.post("/v2/payments", KEY_A, """
                    {"amount": {"value": 100, "currency": "xyz"}, "payment_method": "pm_card_visa"}""");

            assertEquals(400, integer.status());
            assertEquals("/problems/invalid-request", integer.problemType());
            assertEquals(List.of("/currency", "/amount"), pointers(integer));
            assertEquals(List.of("/amount/currency"), pointers(noCurrency));
            assertEquals(List.of("/amount/value"), pointers(tooLarge));
            assertTrue(tooLarge.json().get("detail").asText().startsWith("/amount/value must be between"), tooLarge.body());
            assertEquals(422, unsupported.status());
            assertEquals(List.of("/amount/currency"), pointers(unsupported));
            assertEquals(0, api.get("/v1/payments", KEY_A).json().get("data").size(), "no 4xx created a payment");
        }
    }

    @Test
    void captureAndRefundRefuseAnotherCurrencyInBothVersions() {
        try (TestApi api = deprecated()) {
            String v1 = api.createPayment(KEY_A, 2000, "manual");
            String v2 = api.createPayment(KEY_A, 2000, "manual");

            ApiResponse v1Wrong = api.post("/v1/payments/" + v1 + "/capture", KEY_A, "{\"amount\": 500, \"currency\": \"eur\"}");
            ApiResponse v2Wrong = api.post("/v2/payments/" + v2 + "/capture", KEY_A,
                    "{\"amount\": {\"value\": 500, \"currency\": \"eur\"}}");
            ApiResponse v1Right = api.post("/v1/payments/" + v1 + "/capture", KEY_A, "{\"amount\": 500, \"currency\": \"usd\"}");
            ApiResponse refundWrong = api.post("/v1/refunds", KEY_A,
                    "{\"payment\": \"" + v1 + "\", \"amount\": 100, \"currency\": \"jpy\"}");

            assertEquals(422, v1Wrong.status());
            assertEquals("/problems/unprocessable", v1Wrong.problemType());
            assertEquals(List.of("/currency"), pointers(v1Wrong));
            assertEquals(422, v2Wrong.status());
            assertEquals(List.of("/amount/currency"), pointers(v2Wrong));
            assertEquals(200, v1Right.status(), v1Right::toString);
            assertEquals(500, v1Right.json().get("amount_captured").asLong());
            assertEquals(422, refundWrong.status());
            assertEquals(0, api.get("/v1/payments/" + v1, KEY_A).json().get("amount_refunded").asLong());
            assertEquals("requires_capture", api.get("/v1/payments/" + v2, KEY_A).json().get("status").asText());
        }
    }

    @Test
    void aKeyFirstUsedOnV1ReplaysOnV2InV2ShapeAndTheReverse() {
        try (TestApi api = deprecated()) {
            ApiResponse first = api.post("/v1/payments", KEY_A, "order-v1-first", VISA_V1);
            ApiResponse retryOnV2 = api.post("/v2/payments", KEY_A, "order-v1-first", VISA_V2);
            ApiResponse firstOnV2 = api.post("/v2/payments", KEY_A, "order-v2-first", VISA_V2);
            ApiResponse retryOnV1 = api.post("/v1/payments", KEY_A, "order-v2-first", VISA_V1);
            ApiResponse otherRequest = api.post("/v2/payments", KEY_A, "order-v1-first", """
                    {"amount": {"value": 999, "currency": "usd"}, "payment_method": "pm_card_visa"}""");

            assertEquals(201, retryOnV2.status());
            assertEquals("true", retryOnV2.header("Idempotent-Replayed"));
            assertEquals(first.json().get("id"), retryOnV2.json().get("id"));
            assertEquals(Map.of("value", 2000, "currency", "usd"), money(retryOnV2.json().get("amount")));
            assertEquals("/v2/payments/" + first.json().get("id").asText(), retryOnV2.header("Location"));
            assertEquals("true", retryOnV1.header("Idempotent-Replayed"));
            assertEquals(firstOnV2.json().get("id"), retryOnV1.json().get("id"));
            assertEquals(2000, retryOnV1.json().get("amount").asLong());
            assertEquals(422, otherRequest.status());
            assertEquals("/problems/idempotency-key-reused", otherRequest.problemType());
            assertEquals(2, api.get("/v2/payments", KEY_A).json().get("data").size(), "two payments, not four");
        }
    }

    @Test
    void aCursorMintedByV1ContinuesTheSameWalkOnV2() {
        try (TestApi api = deprecated()) {
            List<String> created = List.of(api.createPayment(KEY_A, 100, "automatic"),
                    api.createPayment(KEY_A, 200, "automatic"), api.createPayment(KEY_A, 300, "automatic"));

            ApiResponse v1Page = api.get("/v1/payments?limit=2", KEY_A);
            ApiResponse v2Page = api.get("/v2/payments?limit=2&cursor=" + v1Page.json().get("next_cursor").asText(), KEY_A);

            assertEquals(200, v2Page.status(), v2Page::toString);
            assertEquals(created.get(0), v2Page.json().get("data").get(0).get("id").asText());
            assertFalse(v2Page.json().get("has_more").asBoolean());
            assertTrue(v2Page.json().get("data").get(0).get("amount").isObject());
        }
    }

    @Test
    void oneQuotaPerAccountCoversBothVersions() {
        try (TestApi api = TestApi.start(c -> c.withV1Lifecycle(SCHEDULE)
                .withRateLimits(RateLimitConfig.DEFAULTS.withWrites(2, 60)))) {
            ApiResponse v1 = api.post("/v1/customers", KEY_A, "{}");
            ApiResponse v2 = api.post("/v2/customers", KEY_A, "{}");
            ApiResponse third = api.post("/v2/customers", KEY_A, "{}");
            ApiResponse fourth = api.post("/v1/customers", KEY_A, "{}");

            assertEquals(List.of(201, 201, 429, 429), List.of(v1.status(), v2.status(), third.status(), fourth.status()));
            assertEquals("/problems/quota-exceeded", third.problemType());
            assertTrue(Long.parseLong(third.header("Retry-After")) >= 1, third::toString);
        }
    }

    @Test
    void eventsAreRenderedInTheVersionOfTheReader() {
        try (TestApi api = deprecated()) {
            String id = api.post("/v2/payments", KEY_A, VISA_V2).json().get("id").asText();
            api.post("/v2/payments/" + id + "/capture", KEY_A, "{\"amount\": {\"value\": 1500, \"currency\": \"usd\"}}");

            JsonNode v1Event = api.get("/v1/events?type=payment.captured", KEY_A).json().get("data").get(0);
            JsonNode v2Event = api.get("/v2/events/" + v1Event.get("id").asText(), KEY_A).json();

            assertEquals(1500, v1Event.at("/data/object/amount_captured").asLong());
            assertEquals("usd", v1Event.at("/data/object/currency").asText());
            assertEquals(Map.of("value", 1500, "currency", "usd"), money(v2Event.at("/data/object/amount_captured")));
            assertTrue(v2Event.at("/data/object/currency").isMissingNode());
        }
    }

    @Test
    void metricsCountRequestsPerVersionAndAccount() {
        try (TestApi api = deprecated()) {
            api.get("/v1/payments", KEY_A);
            api.get("/v1/payments", KEY_A);
            api.get("/v2/payments", KEY_A);

            // A request is counted after its response is written, so the last one may lag the scrape.
            String v2Line = "breakwater_api_requests_total{account=\"acct_a\",version=\"v2\"} 1.0";
            String metrics = api.send(api.request("/metrics").GET().build()).body();
            for (long deadline = System.nanoTime() + 5_000_000_000L; !metrics.contains(v2Line) && System.nanoTime() < deadline; ) {
                Thread.onSpinWait();
                metrics = api.send(api.request("/metrics").GET().build()).body();
            }

            assertTrue(metrics.contains("breakwater_api_requests_total{account=\"acct_a\",version=\"v1\"} 2.0"), metrics);
            assertTrue(metrics.contains(v2Line), metrics);
        }
    }

    @Test
    void theVersioningGuideTheLinksPointAtIsServed() {
        try (TestApi api = deprecated()) {
            ApiResponse guide = api.send(api.request("/docs/versioning").GET().build());
            ApiResponse spec = api.send(api.request("/openapi/v2.yaml").GET().build());

            assertEquals(200, guide.status());
            assertTrue(guide.body().contains("## Migrating from v1 to v2"));
            assertTrue(guide.body().contains("## Sunset policy"));
            assertTrue(spec.body().contains("version: 2.0.0"));
        }
    }

    private static Map<String, Object> money(JsonNode node) {
        assertTrue(node != null && node.isObject() && node.size() == 2, String.valueOf(node));
        return Map.of("value", node.get("value").asInt(), "currency", node.get("currency").asText());
    }

    private static List<String> pointers(ApiResponse problem) {
        return problem.json().path("errors").findValuesAsText("pointer");
    }

    /** Every link of every Link field line, by relation type (RFC 8288 section 3). */
    static Map<String, String> linksByRel(ApiResponse response) {
        Map<String, String> byRel = new LinkedHashMap<>();
        for (String field : response.headers().allValues("Link")) {
            Matcher link = LINK.matcher(field);
            while (link.find()) {
                Matcher rel = REL.matcher(link.group(2));
                if (rel.find()) {
                    String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
                    for (String type : rels.toLowerCase(Locale.ROOT).split("\\s+")) {
                        byRel.put(type, link.group(1));
                    }
                }
            }
        }
        return byRel;
    }
}
