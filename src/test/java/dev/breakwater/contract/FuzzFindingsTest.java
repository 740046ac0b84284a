package dev.breakwater.contract;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regressions for what SpecFuzzTest found where the spec, the server or the verifier disagreed
 * (docs/evidence/fuzz.md). Each request goes through TestApi, so provider verification judges it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzFindingsTest {
    private TestApi api;

    @BeforeAll
    void start() {
        api = TestApi.start();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void opsEndpointsAnswerTheirOwnMediaTypeWhateverAcceptSays() {
        for (String[] probe : List.of(new String[] {"/metrics", "text/plain"}, new String[] {"/dashboard", "text/html"},
                new String[] {"/health", "text/html"}, new String[] {"/openapi/v1.yaml", "application/yaml"})) {
            ApiResponse response = api.send(api.request(probe[0]).header("Accept", probe[1]).GET().build());

            assertEquals(200, response.status(), probe[0] + " with Accept " + probe[1] + ": " + response);
        }
        ApiResponse v1 = api.send(api.request("/v1/customers").header("Authorization", "Bearer " + KEY_A)
                .header("Accept", "text/html").GET().build());
        assertEquals(406, v1.status(), "negotiation still holds for /v1");
        assertEquals("/problems/not-acceptable", v1.problemType());
    }

    @Test
    void createCustomerWithoutABodyIsSpecValidAndCreatesAnEmptyCustomer() {
        ApiResponse created = api.send(api.request("/v1/customers").header("Authorization", "Bearer " + KEY_A)
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(201, created.status(), created::toString);
        assertTrue(created.json().get("name").isNull());
    }

    @Test
    void aBodyWithDuplicateMemberNamesIsSpecInvalidAndMalformed() {
        String duplicate = "{\"name\": \"a\", \"name\": \"b\"}";
        ApiResponse response = api.post("/v1/customers", KEY_A, duplicate);

        assertEquals(400, response.status(), response::toString);
        assertEquals("/problems/malformed-json", response.problemType());
        assertFalse(ProviderVerification.v1().requestViolations(new ProviderVerification.Exchange("POST", "/v1/customers",
                null, Map.of("Content-Type", List.of("application/json"), "Authorization", List.of("Bearer " + KEY_A),
                "Idempotency-Key", List.of("k")), duplicate.getBytes(StandardCharsets.UTF_8), 0, Map.of(), "")).isEmpty());
    }

    @Test
    void anEmptyPatchIsSpecValidAndChangesNoMember() {
        String customer = api.post("/v1/customers", KEY_A, "{\"name\": \"Ada\"}").json().get("id").asText();

        ApiResponse patched = api.send(api.request("/v1/customers/" + customer).header("Authorization", "Bearer " + KEY_A)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(200, patched.status(), patched::toString);
        assertEquals("Ada", patched.json().get("name").asText());
    }

    @Test
    void aRepeatedSinceOnTheDashboardDataIs400() {
        ApiResponse repeated = api.send(api.request("/dashboard/data?since=0&since=0").GET().build());

        assertEquals(400, repeated.status(), repeated::toString);
        assertEquals("/problems/invalid-parameter", repeated.problemType());
    }

    @Test
    void onlyListsRejectUndeclaredQueryParameters() {
        String payment = api.createPayment(KEY_A, 100, "automatic");

        ApiResponse retrieve = api.get("/v1/payments/" + payment + "?expand=customer", KEY_A);
        ApiResponse list = api.get("/v1/payments?expand=customer", KEY_A);

        assertEquals(200, retrieve.status(), retrieve::toString);
        assertEquals(400, list.status(), list::toString);
        assertEquals("/problems/invalid-parameter", list.problemType());
    }
}
