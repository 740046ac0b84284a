package dev.breakwater.contract;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request rules issue 19 wrote into the spec (payment_method and email patterns, minLength 1
 * for name and description, the cursor's form) were already enforced by the server: each value
 * below was accepted by the baseline published before, is rejected by the spec now, and is
 * answered 400 by the server, so no client that ever got a 2xx is broken by the stricter spec
 * (docs/contract.md, "Writing down a rule the server already enforced").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecTighteningsTest {
    private static final Set<String> MALFORMED = Set.of("/problems/invalid-request", "/problems/invalid-cursor");
    private TestApi api;
    private String customer;

    @BeforeAll
    void start() {
        api = TestApi.start();
        customer = api.post("/v1/customers", KEY_A, "{}").json().get("id").asText();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "POST  | /v1/customers          | {\"email\": \"jenny@\"}",
            "POST  | /v1/customers          | {\"email\": \"@example.com\"}",
            "POST  | /v1/customers          | {\"email\": \"jenny @example.com\"}",
            "POST  | /v1/customers          | {\"email\": \"a@b@c\"}",
            "POST  | /v1/customers          | {\"name\": \"\"}",
            "POST  | /v1/customers          | {\"description\": \"\"}",
            "PATCH | /v1/customers/{cus}    | {\"email\": \"jenny@\"}",
            "PATCH | /v1/customers/{cus}    | {\"name\": \"\"}",
            "PATCH | /v1/customers/{cus}    | {\"description\": \"\"}",
            "POST  | /v1/payments           | {\"amount\": 100, \"currency\": \"usd\", \"payment_method\": \"pm-card-visa\"}",
            "POST  | /v1/payments           | {\"amount\": 100, \"currency\": \"usd\", \"payment_method\": \"pm card visa\"}",
            "POST  | /v1/payments           | {\"amount\": 100, \"currency\": \"usd\", \"payment_method\": \"pm_card_visä\"}",
            "POST  | /v1/payments           | {\"amount\": 100, \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\", \"description\": \"\"}",
    })
    void aBodyTheOldSpecAllowedButTheServerAlwaysRefusedIsNowSpecInvalid(String method, String path, String body) {
        String concrete = path.replace("{cus}", customer);
        ApiResponse response = method.equals("PATCH") ? api.patch(concrete, KEY_A, body, Map.of())
                : api.post(concrete, KEY_A, body);

        assertEquals(400, response.status(), response::toString);
        assertEquals("/problems/invalid-request", response.problemType(), response::toString);
        assertFalse(ProviderVerification.v1().requestViolations(exchange(method, concrete, null, body)).isEmpty(),
                "the spec must reject what the server rejects: " + body);
    }

    @ParameterizedTest
    @CsvSource({"abc", "AgAAAAAAAAQSJrIeckuTz0ijwaJOuNLhp-OwxEKY_BwUbigXlvIjJ3spNohZ6NKMowA",
            "AgAAAAAAAAQSJrIeckuTz0ijwaJOuNLhp+OwxEKY/BwUbigXlvIjJ3spNohZ6NKMow"})
    void aCursorOfAnotherFormIsSpecInvalidAndTheServerAnswersInvalidCursor(String cursor) {
        String query = "limit=1&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        ApiResponse response = api.get("/v1/payments?" + query, KEY_A);

        assertEquals(400, response.status(), response::toString);
        assertEquals("/problems/invalid-cursor", response.problemType());
        assertFalse(ProviderVerification.v1().requestViolations(exchange("GET", "/v1/payments", query, null)).isEmpty(),
                "the spec must reject cursor " + cursor);
    }

    @Test
    void theSpecsExampleCursorHasTheIssuedFormAndFailsOnlyItsSignature() {
        String example = SpecDocument.load(SpecDocument.SPEC).pointer("#/components/parameters/Cursor")
                .path("example").asText();
        String query = "limit=1&cursor=" + example;

        ApiResponse response = api.get("/v1/payments?" + query, KEY_A);

        assertTrue(ProviderVerification.v1().requestViolations(exchange("GET", "/v1/payments", query, null)).isEmpty(),
                "the spec's own example must satisfy the spec");
        assertEquals(400, response.status(), response::toString);
        assertEquals("/problems/invalid-cursor", response.problemType());
        assertTrue(response.json().get("detail").asText().contains("signature does not match"),
                "length, alphabet, version and encoding pass; only the documentation key's signature fails: " + response);
        assertTrue(MALFORMED.contains(response.problemType()));
    }

    private static ProviderVerification.Exchange exchange(String method, String path, String query, String body) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", List.of("Bearer " + KEY_A));
        if (body != null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        if (method.equals("POST")) {
            headers.put("Idempotency-Key", List.of(UUID.randomUUID().toString()));
        }
        return new ProviderVerification.Exchange(method, path, query, headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), 0, Map.of(), "");
    }
}
