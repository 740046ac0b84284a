package dev.breakwater.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invalid requests generated from the spec's own schemas ({@link InvalidRequests}), for every
 * operation that takes input: each must get a documented 4xx problem (400 with a malformed-request
 * type; 404 for an impossible id), never a 5xx, and the spec must agree each one is invalid.
 * TestApi verifies every answer against the spec as well. The probes share one server: each is
 * rejected before it could change anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecDrivenNegativeTest {
    /** The documented 400 types for a malformed request (an empty cursor is reported as an invalid cursor). */
    private static final Set<String> MALFORMED_REQUEST_TYPES = Set.of("/problems/invalid-request",
            "/problems/invalid-parameter", "/problems/invalid-cursor", "/problems/malformed-json",
            "/problems/idempotency-key-missing", "/problems/idempotency-key-invalid");

    private final SpecDocument spec = SpecDocument.load(SpecDocument.SPEC);
    private TestApi api;
    private String customer;
    private String paidPayment;
    private String authorizedPayment;
    private String refund;
    private String event;

    @BeforeAll
    void startServer() {
        api = TestApi.start();
        createOneOfEachObject();
    }

    private void createOneOfEachObject() {
        customer = api.post("/v1/customers", KEY_A, "{}").json().get("id").asText();
        paidPayment = api.createPayment(KEY_A, 5000, "automatic");
        authorizedPayment = api.createPayment(KEY_A, 5000, "manual");
        refund = api.post("/v1/refunds", KEY_A, "{\"payment\": \"%s\", \"amount\": 100}".formatted(paidPayment))
                .json().get("id").asText();
        event = api.get("/v1/events?limit=1", KEY_A).json().get("data").get(0).get("id").asText();
    }

    @AfterAll
    void stopServer() {
        api.close();
    }

    @TestFactory
    List<DynamicTest> everyGeneratedInvalidRequestGetsADocumented4xxProblem() {
        InvalidRequests generator = new InvalidRequests(spec);
        List<DynamicTest> tests = new ArrayList<>();
        for (SpecDocument.Operation op : spec.operations()) {
            for (InvalidRequests.Probe probe : generator.probes(op, valid(op))) {
                tests.add(DynamicTest.dynamicTest(probe.toString(), () -> rejected(probe)));
            }
        }
        assertTrue(tests.size() > 100, "only " + tests.size() + " probes generated");
        return tests;
    }

    private void rejected(InvalidRequests.Probe probe) {
        // given a request the spec itself calls invalid
        ProviderVerification.Exchange asSent = new ProviderVerification.Exchange(probe.method(), probe.path(),
                probe.query(), headers(probe), probe.body() == null ? new byte[0] : probe.body().getBytes(StandardCharsets.UTF_8),
                0, Map.of(), "");
        assertFalse(ProviderVerification.v1().requestViolations(asSent).isEmpty(),
                "the generator built a request the spec accepts: " + probe);

        // when it is sent
        ApiResponse response = api.send(request(probe));

        // then it gets the documented 4xx problem, never a 5xx
        assertTrue(probe.expectedStatuses().contains(response.status()), probe + " -> " + response);
        assertEquals("application/problem+json", response.contentType(), response.toString());
        if (response.status() == 400) {
            assertTrue(MALFORMED_REQUEST_TYPES.contains(response.problemType()), response.toString());
        } else {
            assertEquals("/problems/not-found", response.problemType(), response.toString());
        }
    }

    @Test
    void everyRequestExampleInTheSpecIsAccepted() {
        // given objects of its own, so the examples change nothing the probes rely on
        createOneOfEachObject();
        for (SpecDocument.Operation op : spec.operations()) {
            JsonNode examples = spec.resolve(op.node().path("requestBody")).path("content").path("application/json")
                    .path("examples");
            for (var example : SpecDocument.fields(examples)) {
                String body = withRealIds(spec.resolve(example.getValue()).path("value").toString());
                ApiResponse response = api.send(request(new InvalidRequests.Probe(op.operationId(), example.getKey(),
                        op.method().toUpperCase(), valid(op).path(), null, Map.of("Content-Type", "application/json",
                        "Idempotency-Key", UUID.randomUUID().toString()), body, Set.of())));

                // Not malformed (the hook also fails a 400 for a spec-valid request); some examples decline or conflict.
                assertTrue(response.status() != 400 && response.status() < 500,
                        op.operationId() + " example " + example.getKey() + " -> " + response);
            }
        }
    }

    /** A valid request for the operation: a real object in the path and its first request example as body. */
    private InvalidRequests.Valid valid(SpecDocument.Operation op) {
        String path = op.path()
                .replace("/v1/customers/{id}", "/v1/customers/" + customer)
                .replace("/v1/payments/{id}", "/v1/payments/" + authorizedPayment)
                .replace("/v1/refunds/{id}", "/v1/refunds/" + refund)
                .replace("/v1/events/{id}", "/v1/events/" + event);
        JsonNode examples = spec.resolve(op.node().path("requestBody")).path("content").path("application/json")
                .path("examples");
        JsonNode body = null;
        if (examples.size() > 0) {
            body = Json.parse(withRealIds(spec.resolve(examples.elements().next()).path("value").toString()));
        }
        return new InvalidRequests.Valid(path, body);
    }

    private String withRealIds(String json) {
        return json.replaceAll("cus_[0-9A-Za-z]{24}", customer).replaceAll("pay_[0-9A-Za-z]{24}", paidPayment);
    }

    private Map<String, List<String>> headers(InvalidRequests.Probe probe) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        out.put("Authorization", List.of("Bearer " + KEY_A));
        probe.headers().forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    private HttpRequest request(InvalidRequests.Probe probe) {
        HttpRequest.Builder builder = api.request(probe.path() + (probe.query() == null ? "" : "?" + probe.query()))
                .header("Authorization", "Bearer " + KEY_A);
        probe.headers().forEach(builder::header);
        HttpRequest.BodyPublisher body = probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(probe.body());
        return builder.method(probe.method(), body).build();
    }
}
