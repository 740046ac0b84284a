package dev.breakwater.contract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier itself, both ways: what the server really sends passes, each kind of drift fails. */
class ProviderVerificationTest {
    private static final String PAYMENT = """
            {"id":"pay_3xY7wQ2zR9tK5mB8nL4pH6jD","object":"payment","created":1732406400,"amount":2000,
             "amount_capturable":0,"amount_captured":2000,"amount_refunded":0,"currency":"usd","status":"succeeded",
             "capture_method":"automatic","customer":null,"description":null,"payment_method":"pm_card_visa",
             "failure_code":null,"failure_message":null,"metadata":{}}""";
    private static final String PAYMENT_PATH = "/v1/payments/pay_3xY7wQ2zR9tK5mB8nL4pH6jD";
    private static final String REQUEST_ID = "req_9fK3mQ7xT2vB8nL4pR6sW1yZ";

    private final ProviderVerification verifier = ProviderVerification.v1();

    @Test
    void aDocumentedResponsePasses() {
        assertEquals(List.of(), verifier.violations(get(PAYMENT_PATH, 200, json(), PAYMENT)));
    }

    @Test
    void aRenamedResponseFieldFails() {
        String renamed = PAYMENT.replace("amount_refunded", "amount_returned");

        List<String> violations = verifier.violations(get(PAYMENT_PATH, 200, json(), renamed));

        assertTrue(violations.stream().anyMatch(v -> v.contains("amount_returned")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("amount_refunded")), violations.toString());
        assertThrows(ProviderVerification.ContractViolation.class,
                () -> verifier.verify(get(PAYMENT_PATH, 200, json(), renamed)));
    }

    @Test
    void aWrongTypeOrEnumValueFails() {
        assertFalse(verifier.violations(get(PAYMENT_PATH, 200, json(), PAYMENT.replace("\"amount\":2000", "\"amount\":\"2000\""))).isEmpty());
        assertFalse(verifier.violations(get(PAYMENT_PATH, 200, json(), PAYMENT.replace("\"succeeded\"", "\"paid\""))).isEmpty());
    }

    @Test
    void aV2ExchangeIsHeldToV2sSpecWhereAV1ShapedPaymentFails() {
        String v2Path = PAYMENT_PATH.replace("/v1/", "/v2/");
        String v2Payment = PAYMENT.replace("\"currency\":\"usd\",", "")
                .replaceAll("\"(amount\\w*)\":(\\d+)", "\"$1\":{\"value\":$2,\"currency\":\"usd\"}");

        assertEquals(List.of(), ProviderVerification.forPath(v2Path).violations(get(v2Path, 200, json(), v2Payment)));
        assertFalse(ProviderVerification.forPath(v2Path).violations(get(v2Path, 200, json(), PAYMENT)).isEmpty(),
                "integer amounts are v1's shape, not v2's");
        assertFalse(verifier.violations(get(PAYMENT_PATH, 200, json(), v2Payment)).isEmpty(),
                "money objects are v2's shape, not v1's");
    }

    @Test
    void anUndocumentedHeaderFails() {
        Map<String, List<String>> headers = json();
        headers.put("X-Debug", List.of("1"));

        List<String> violations = verifier.violations(get(PAYMENT_PATH, 200, headers, PAYMENT));

        assertEquals(List.of("response header 'X-Debug' is not documented for status 200"), violations);
    }

    @Test
    void anUndocumentedStatusFails() {
        List<String> violations = verifier.violations(get(PAYMENT_PATH, 202, json(), PAYMENT));

        assertTrue(violations.stream().anyMatch(v -> v.contains("Response status 202 not defined")), violations.toString());
    }

    @Test
    void aMissingRequestIdOrRateLimitHeaderFails() {
        for (String header : List.of("Request-Id", "RateLimit", "RateLimit-Policy")) {
            Map<String, List<String>> headers = json();
            headers.remove(header);

            List<String> violations = verifier.violations(get(PAYMENT_PATH, 200, headers, PAYMENT));

            assertEquals(1, violations.size(), violations.toString());
            assertTrue(violations.get(0).contains("'" + header + "'"), violations.toString());
        }
    }

    @Test
    void aProblemThatDisagreesWithItsResponseFails() {
        String problem = """
                {"type":"/problems/not-found","title":"Not found","status":400,"detail":"x","request_id":"%s"}"""
                .formatted(REQUEST_ID);

        List<String> violations = verifier.violations(get(PAYMENT_PATH, 404, problemHeaders(), problem));

        assertTrue(violations.stream().anyMatch(v -> v.contains("differs from the HTTP status 404")), violations.toString());
    }

    @Test
    void anErrorWithoutAProblemBodyFails() {
        List<String> violations = verifier.violations(get(PAYMENT_PATH, 404, json(), "{\"error\":\"not found\"}"));

        assertTrue(violations.stream().anyMatch(v -> v.contains("without an application/problem+json body")), violations.toString());
    }

    @Test
    void acceptingASpecInvalidRequestFails() {
        String body = "{\"amount\": \"2000\", \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";
        ProviderVerification.Exchange exchange = post("/v1/payments", body, 201, created(), PAYMENT);

        List<String> violations = verifier.violations(exchange);

        assertTrue(violations.stream().anyMatch(v -> v.startsWith("the server accepted (201) a request the spec rejects")),
                violations.toString());
    }

    @Test
    void rejectingASpecValidRequestAsMalformedFails() {
        String body = "{\"amount\": 2000, \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";
        String problem = """
                {"type":"/problems/invalid-request","title":"Invalid request body","status":400,"detail":"x",
                 "request_id":"%s","errors":[{"pointer":"/amount","detail":"bad"}]}""".formatted(REQUEST_ID);

        List<String> violations = verifier.violations(post("/v1/payments", body, 400, problemHeaders(), problem));

        assertEquals(List.of("the server rejected a request the spec accepts, with /problems/invalid-request"), violations);
    }

    @Test
    void unknownPathsMustGetTheNotFoundProblem() {
        String notFound = """
                {"type":"/problems/not-found","title":"Not found","status":404,"detail":"x","request_id":"%s"}"""
                .formatted(REQUEST_ID);

        assertEquals(List.of(), verifier.violations(get("/v1/nothing", 404, problemHeaders(), notFound)));
        assertFalse(verifier.violations(get("/v1/nothing", 200, json(), "{}")).isEmpty());
    }

    private static ProviderVerification.Exchange get(String path, int status, Map<String, List<String>> headers, String body) {
        return new ProviderVerification.Exchange("GET", path, null, Map.of("Authorization", List.of("Bearer sk_test_x")),
                new byte[0], status, headers, body);
    }

    private static ProviderVerification.Exchange post(String path, String body, int status,
                                                      Map<String, List<String>> headers, String responseBody) {
        return new ProviderVerification.Exchange("POST", path, null, Map.of(
                "Authorization", List.of("Bearer sk_test_x"), "Content-Type", List.of("application/json"),
                "Idempotency-Key", List.of("k-1")), body.getBytes(StandardCharsets.UTF_8), status, headers, responseBody);
    }

    private static Map<String, List<String>> json() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Request-Id", List.of(REQUEST_ID));
        rateLimited(headers);
        return headers;
    }

    /** What every /v1 response carries since the limiter runs in front of the handlers. */
    private static void rateLimited(Map<String, List<String>> headers) {
        headers.put("RateLimit-Policy", List.of("\"reads\";q=100;w=1"));
        headers.put("RateLimit", List.of("\"reads\";r=99;t=1"));
    }

    private static Map<String, List<String>> created() {
        Map<String, List<String>> headers = json();
        headers.put("Location", List.of(PAYMENT_PATH));
        return headers;
    }

    private static Map<String, List<String>> problemHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/problem+json"));
        headers.put("Request-Id", List.of(REQUEST_ID));
        rateLimited(headers);
        return headers;
    }
}
