package dev.breakwater.http.ratelimit;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.RawHttp;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-rate limiters through the real server: statuses, problem types and the headers clients act on. */
class RateLimitApiTest {
    private static final String CUSTOMER = "{\"name\": \"Ada\"}";
    private static final String PAYMENT = "{\"amount\": 1000, \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";

    @Test
    void overQuotaRequestGets429WithRetryAfterAndCorrectRateLimitHeaders() {
        try (TestApi api = start(limits -> limits.withReads(3, 60))) {
            for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
                ApiResponse ok = api.get("/v1/payments", KEY_A);
                assertEquals(200, ok.status(), ok::toString);
                assertEquals("\"reads\";q=3;w=60", ok.header("RateLimit-Policy"));
                assertEquals(expectedRemaining, limit(ok, "reads").remaining());
                assertTrue(limit(ok, "reads").reset() >= 1 && limit(ok, "reads").reset() <= 20, ok::toString);
            }

            ApiResponse rejected = api.get("/v1/payments", KEY_A);

            assertEquals(429, rejected.status(), rejected::toString);
            assertEquals("/problems/quota-exceeded", rejected.problemType());
            assertEquals("application/problem+json", rejected.contentType());
            assertEquals(List.of("reads"), strings(rejected.json().get("violated-policies")));
            assertEquals("\"reads\";q=3;w=60", rejected.header("RateLimit-Policy"));
            Limit limit = limit(rejected, "reads");
            assertEquals(0, limit.remaining());
            long retryAfter = Long.parseLong(rejected.header("Retry-After"));
            assertTrue(retryAfter >= limit.reset(), "Retry-After " + retryAfter + " earlier than t=" + limit.reset());
            assertTrue(retryAfter >= 1 && retryAfter <= 20, rejected::toString);
            assertNotNull(rejected.header("Request-Id"));
        }
    }

    /**
     * A rejection must stay cheap for a keep-alive client too: a 429 that closed its connection would
     * cost every throttled request a new TCP handshake, so reads, GET and POST rejections alike leave
     * the connection open for the next request.
     */
    @Test
    void rejectionsAndReadsKeepTheConnectionAlive() throws Exception {
        try (TestApi api = start(limits -> limits.withReads(1, 60).withWrites(1, 60));
             RawHttp http = new RawHttp(api.app().port())) {
            String get = "GET /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY_A + "\r\n\r\n";
            byte[] body = PAYMENT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String post = "POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY_A
                    + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + UUID.randomUUID()
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n" + PAYMENT;

            List<RawHttp.Reply> replies = new java.util.ArrayList<>();
            for (String request : List.of(get, get, get, post, post, post)) {
                replies.add(http.send(request).read());
            }

            assertEquals(List.of(200, 429, 429, 201, 429, 429), replies.stream().map(RawHttp.Reply::status).toList(), replies::toString);
            for (RawHttp.Reply reply : replies) {
                assertNull(reply.header("Connection"), reply::toString);
            }
            assertEquals("/problems/quota-exceeded", replies.getLast().problemType());
            assertNotNull(replies.getLast().header("Retry-After"));
            assertFalse(http.send(get).read().headers().containsKey("connection"), "still the same connection, still open");
        }
    }

    @Test
    void clientThatWaitsRetryAfterSucceeds() throws InterruptedException {
        try (TestApi api = start(limits -> limits.withWrites(1, 1))) {
            ApiResponse rejected = null;
            for (int attempt = 0; attempt < 10 && rejected == null; attempt++) {
                ApiResponse response = api.post("/v1/customers", KEY_A, CUSTOMER);
                if (response.status() == 429) {
                    rejected = response;
                } else {
                    assertEquals(201, response.status(), response::toString);
                }
            }
            assertNotNull(rejected, "a write quota of 1 per second was never exceeded");

            Thread.sleep(Long.parseLong(rejected.header("Retry-After")) * 1000);
            ApiResponse retried = api.post("/v1/customers", KEY_A, CUSTOMER);

            assertEquals(201, retried.status(), retried::toString);
            assertEquals("\"writes\";q=1;w=1", retried.header("RateLimit-Policy"));
        }
    }

    @Test
    void oneAccountsStormDoesNotThrottleAnother() {
        try (TestApi api = start(limits -> limits.withWrites(5, 60))) {
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                statuses.merge(api.post("/v1/customers", KEY_A, CUSTOMER).status(), 1, Integer::sum);
            }

            ApiResponse other = api.post("/v1/customers", KEY_B, CUSTOMER);

            assertEquals(Map.of(201, 5, 429, 15), statuses);
            assertEquals(201, other.status(), other::toString);
            assertEquals(4, limit(other, "writes").remaining());
        }
    }

    @Test
    void readsAndWritesHaveSeparateQuotas() {
        try (TestApi api = start(limits -> limits.withWrites(1, 60).withReads(100, 60))) {
            api.post("/v1/customers", KEY_A, CUSTOMER);
            assertEquals(429, api.post("/v1/customers", KEY_A, CUSTOMER).status());

            ApiResponse read = api.get("/v1/customers", KEY_A);

            assertEquals(200, read.status(), read::toString);
            assertEquals(99, limit(read, "reads").remaining());
        }
    }

    @Test
    void rejectedRequestTouchesNoTable() throws SQLException {
        try (TestApi api = start(limits -> limits.withWrites(1, 60))) {
            assertEquals(201, api.post("/v1/payments", KEY_A, PAYMENT).status());
            Map<String, Long> before = rowCounts(api);

            String key = UUID.randomUUID().toString();
            ApiResponse rejected = api.post("/v1/payments", KEY_A, key, PAYMENT);

            assertEquals(429, rejected.status(), rejected::toString);
            assertEquals(before, rowCounts(api));
            assertNull(rejected.header("Idempotent-Replayed"));
        }
    }

    @Test
    void everyV1ResponseCarriesRateLimitHeadersWhateverItsStatus() {
        try (TestApi api = start(UnaryOperator.identity())) {
            List<ApiResponse> responses = List.of(
                    api.get("/v1/customers", KEY_A),
                    api.post("/v1/customers", KEY_A, CUSTOMER),
                    api.post("/v1/customers", KEY_A, null, CUSTOMER),
                    api.get("/v1/payments/pay_000000000000000000000000", KEY_A),
                    api.get("/v1/nowhere", KEY_A),
                    api.patch("/v1/payments", KEY_A, "{}", Map.of()),
                    api.post("/v1/payments", KEY_A, "{\"amount\": \"ten\"}"),
                    api.get("/v1/customers", "sk_test_not_a_real_key_000"));

            assertEquals(List.of(200, 201, 400, 404, 404, 405, 400, 401), responses.stream().map(ApiResponse::status).toList());
            for (ApiResponse response : responses) {
                assertNotNull(response.header("RateLimit-Policy"), response::toString);
                assertNotNull(response.header("RateLimit"), response::toString);
            }
            assertEquals(RateLimitConfig.DEFAULTS.authFailures().headerMember(), responses.getLast().header("RateLimit-Policy"));
            assertNull(api.send(api.request("/health").GET().build()).header("RateLimit"));
        }
    }

    @Test
    void floodOfBadKeysFromOneAddressIsCutOffBeforeAuthentication() {
        try (TestApi api = start(limits -> limits.withAuthFailures(3, 60))) {
            for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
                ApiResponse unauthorized = api.get("/v1/customers", "sk_test_guess_" + expectedRemaining + "_000000");
                assertEquals(401, unauthorized.status(), unauthorized::toString);
                assertEquals(expectedRemaining, limit(unauthorized, "auth-failures").remaining());
            }

            ApiResponse badKey = api.get("/v1/customers", "sk_test_guess_again_000000");

            assertEquals(429, badKey.status(), badKey::toString);
            assertEquals("/problems/quota-exceeded", badKey.problemType());
            assertEquals(List.of("auth-failures"), strings(badKey.json().get("violated-policies")));
            assertTrue(Long.parseLong(badKey.header("Retry-After")) >= limit(badKey, "auth-failures").reset());
        }
    }

    /** Merchants behind one NAT: one of them sending bad keys must not lock the others out. */
    @Test
    void validKeysFromALockedOutAddressAreServedWhileItsBadKeysStayRefused() {
        try (TestApi api = start(limits -> limits.withAuthFailures(3, 60))) {
            // given an address that used up its bad-key quota
            for (int i = 0; i < 3; i++) {
                assertEquals(401, api.get("/v1/customers", "sk_test_neighbour_" + i + "_000000").status());
            }
            assertEquals(429, api.get("/v1/customers", "sk_test_neighbour_again_0000").status());

            // when both accounts behind it read and write with their valid keys
            List<ApiResponse> valid = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                valid.add(api.get("/v1/customers", KEY_A));
                valid.add(api.post("/v1/customers", KEY_B, CUSTOMER));
            }
            ApiResponse badAfter = api.get("/v1/customers", "sk_test_neighbour_later_000");
            ApiResponse noKeyAfter = api.send(api.request("/v1/customers").GET().build());

            // then every valid request is served, and bad or missing keys are still refused unhashed
            assertEquals(List.of(200, 201, 200, 201, 200, 201, 200, 201, 200, 201),
                    valid.stream().map(ApiResponse::status).toList());
            assertEquals(429, badAfter.status(), badAfter::toString);
            assertEquals(List.of("auth-failures"), strings(badAfter.json().get("violated-policies")));
            assertEquals(429, noKeyAfter.status(), noKeyAfter::toString);
            assertEquals("/problems/quota-exceeded", noKeyAfter.problemType());
        }
    }

    @Test
    void successfulRequestsTakeNothingFromTheAddressQuota() {
        try (TestApi api = start(limits -> limits.withAuthFailures(1, 60))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, api.get("/v1/customers", KEY_A).status());
            }
            assertEquals(401, api.get("/v1/customers", "sk_test_wrong_key_00000000").status());
        }
    }

    static TestApi start(UnaryOperator<RateLimitConfig> limits) {
        return TestApi.start(config -> config.withRateLimits(limits.apply(config.rateLimits())));
    }

    record Limit(long remaining, long reset) {
    }

    private static final Pattern MEMBER = Pattern.compile("\"([a-z-]+)\";r=(\\d+);t=(\\d+)");

    /** The {@code RateLimit} member for one policy. */
    static Limit limit(ApiResponse response, String policy) {
        String header = response.header("RateLimit");
        assertNotNull(header, response::toString);
        Matcher matcher = MEMBER.matcher(header);
        while (matcher.find()) {
            if (matcher.group(1).equals(policy)) {
                return new Limit(Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3)));
            }
        }
        throw new AssertionError("no " + policy + " member in RateLimit: " + header);
    }

    static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
        assertNotNull(array);
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> n.asText()).toList();
    }

    private static Map<String, Long> rowCounts(TestApi api) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = api.app().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("payments", "events", "idempotency_keys", "sandbox_operations")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
