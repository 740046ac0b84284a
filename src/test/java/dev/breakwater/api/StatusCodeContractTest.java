package dev.breakwater.api;

import dev.breakwater.App;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.ClosedPort;
import dev.breakwater.support.BuggyProcessor;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TestApi;

import static dev.breakwater.support.ProblemAssert.assertProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every status code in docs/status-codes.md, produced through the real server, with its problem
 * type, the members every problem carries, and the headers the contract promises.
 */
class StatusCodeContractTest {
    private static final String VISA = """
            {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}""";

    @Test
    void ok200AndCreated201WithLocation() {
        try (TestApi api = TestApi.start()) {
            ApiResponse created = api.post("/v1/payments", KEY_A, VISA);
            assertEquals(201, created.status());
            assertEquals("application/json", created.contentType());
            String location = created.header("Location");
            assertEquals("/v1/payments/" + created.json().get("id").asText(), location);

            ApiResponse fetched = api.get(location, KEY_A);
            assertEquals(200, fetched.status());
            assertEquals(created.body(), fetched.body());
            assertNotNull(fetched.header("Request-Id"));
        }
    }

    @Test
    void badRequest400ForMalformedJson() {
        try (TestApi api = TestApi.start()) {
            assertProblem(api.post("/v1/payments", KEY_A, "{\"amount\": "), 400, "malformed-json");
        }
    }

    @Test
    void badRequest400ForInvalidFieldsListsEachWithAPointer() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.post("/v1/payments", KEY_A, "{\"amount\": \"ten\", \"currency\": \"usd\"}");
            assertProblem(response, 400, "invalid-request");
            var pointers = response.json().get("errors").findValuesAsText("pointer");
            assertTrue(pointers.containsAll(java.util.List.of("/amount", "/payment_method")), pointers::toString);
        }
    }

    @Test
    void badRequest400ForBadQueryParameter() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.get("/v1/payments?limit=abc", KEY_A);
            assertProblem(response, 400, "invalid-parameter");
            assertEquals("/query/limit", response.json().get("errors").get(0).get("pointer").asText());
        }
    }

    @Test
    void badRequest400ForMissingIdempotencyKey() {
        try (TestApi api = TestApi.start()) {
            assertProblem(api.post("/v1/payments", KEY_A, null, VISA), 400, "idempotency-key-missing");
        }
    }

    @Test
    void unauthorized401CarriesWwwAuthenticate() {
        try (TestApi api = TestApi.start()) {
            ApiResponse none = api.send(api.request("/v1/payments").GET().build());
            ApiResponse wrong = api.get("/v1/payments", "sk_test_not_a_real_key_000000");
            for (ApiResponse response : new ApiResponse[]{none, wrong}) {
                assertProblem(response, 401, "unauthorized");
                assertEquals("Bearer realm=\"breakwater\"", response.header("WWW-Authenticate"));
            }
        }
    }

    @Test
    void paymentRequired402WhenDeclinedAndTheFailedPaymentExists() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.post("/v1/payments", KEY_A, VISA.replace("pm_card_visa", "pm_card_insufficient_funds"));
            assertProblem(response, 402, "card-declined");
            assertEquals("insufficient_funds", response.json().get("decline_code").asText());
            String paymentId = response.json().get("payment").asText();

            ApiResponse payment = api.get("/v1/payments/" + paymentId, KEY_A);
            assertEquals(200, payment.status());
            assertEquals("failed", payment.json().get("status").asText());
            assertEquals("insufficient_funds", payment.json().get("failure_code").asText());
        }
    }

    @Test
    void notFound404ForUnknownObjectAndUnknownPath() {
        try (TestApi api = TestApi.start()) {
            assertProblem(api.get("/v1/payments/pay_000000000000000000000000", KEY_A), 404, "not-found");
            assertProblem(api.get("/v1/nothing-here", KEY_A), 404, "not-found");
            assertProblem(api.send(api.request("/nope").GET().build()), 404, "not-found");
        }
    }

    @Test
    void methodNotAllowed405CarriesAllow() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.send(api.request("/v1/payments/pay_000000000000000000000000")
                    .header("Authorization", "Bearer " + KEY_A).DELETE().build());
            assertProblem(response, 405, "method-not-allowed");
            assertEquals("GET", response.header("Allow"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/customers/cus_000000000000000000000000", "/v1/payments/pay_000000000000000000000000",
            "/v1/refunds/re_000000000000000000000000", "/v1/events", "/v1/events/evt_000000000000000000000000"})
    void postWithoutAKeyOnAPathWithoutPostIs405WithAllowNotAMissingKey(String path) {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.send(api.request(path).header("Authorization", "Bearer " + KEY_A)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertProblem(response, 405, "method-not-allowed");
            assertTrue(response.header("Allow").contains("GET"), response.header("Allow"));
        }
    }

    @Test
    void notAcceptable406WhenAcceptExcludesJson() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.send(api.request("/v1/payments")
                    .header("Authorization", "Bearer " + KEY_A).header("Accept", "text/html").GET().build());
            assertProblem(response, 406, "not-acceptable");
            ApiResponse wildcard = api.send(api.request("/v1/payments")
                    .header("Authorization", "Bearer " + KEY_A).header("Accept", "text/html, */*;q=0.1").GET().build());
            assertEquals(200, wildcard.status());
        }
    }

    @Test
    void conflict409ForInvalidTransitionNamesTheCurrentStatus() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "automatic");
            ApiResponse response = api.post("/v1/payments/" + id + "/cancel", KEY_A, "{}");
            assertProblem(response, 409, "invalid-state");
            assertEquals("succeeded", response.json().get("current_status").asText());
        }
    }

    @Test
    void preconditionFailed412WhenIfMatchIsStale() {
        try (TestApi api = TestApi.start()) {
            ApiResponse customer = api.post("/v1/customers", KEY_A, "{\"name\": \"Jenny\"}");
            String id = customer.json().get("id").asText();
            ApiResponse response = api.patch("/v1/customers/" + id, KEY_A, "{\"name\": \"J\"}", Map.of("If-Match", "\"7\""));
            assertProblem(response, 412, "precondition-failed");
        }
    }

    @Test
    void payloadTooLarge413AndTheConnectionStillAnswers() {
        try (TestApi api = TestApi.start()) {
            String huge = "{\"description\": \"" + "x".repeat(100_000) + "\"}";
            ApiResponse response = api.post("/v1/customers", KEY_A, huge);
            assertProblem(response, 413, "payload-too-large");
            assertEquals(0, new Ledger(api.app().dataSource()).count("SELECT COUNT(*) FROM customers"));
        }
    }

    @Test
    void unsupportedMediaType415ForNonJsonBody() {
        try (TestApi api = TestApi.start()) {
            ApiResponse response = api.send(api.request("/v1/customers")
                    .header("Authorization", "Bearer " + KEY_A)
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=Jenny")).build());
            assertProblem(response, 415, "unsupported-media-type");
        }
    }

    @Test
    void unprocessable422ForUnsupportedCurrencyAndRefundAboveCaptured() {
        try (TestApi api = TestApi.start()) {
            ApiResponse currency = api.post("/v1/payments", KEY_A, VISA.replace("usd", "xyz"));
            assertProblem(currency, 422, "unprocessable");
            assertEquals("/currency", currency.json().get("errors").get(0).get("pointer").asText());

            String id = api.createPayment(KEY_A, 1000, "automatic");
            ApiResponse refund = api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 1001}");
            assertProblem(refund, 422, "unprocessable");
            assertEquals("/amount", refund.json().get("errors").get(0).get("pointer").asText());
        }
    }

    @Test
    void internalError500RevealsOnlyTheRequestId() {
        UnaryOperator<PaymentProcessor> broken = BuggyProcessor::new;
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams(broken))) {
            ApiResponse response = api.post("/v1/payments", KEY_A, VISA);
            assertProblem(response, 500, "internal-error");
            String requestId = response.header("Request-Id");
            assertTrue(response.json().get("detail").asText().contains(requestId));
            assertTrue(!response.body().contains("IllegalStateException") && !response.body().contains("at dev."),
                    "no stack trace or exception names leak");
        }
    }

    @Test
    void badGateway502WhenTheProcessorFails() {
        try (TestApi api = TestApi.start()) {
            assertProblem(api.post("/v1/payments", KEY_A, VISA.replace("pm_card_visa", "pm_card_processor_error")),
                    502, "processor-error");
        }
    }

    @Test
    void serviceUnavailable503WithRetryAfterWhenTheProcessorIsUnreachable() {
        URI nowhere = ClosedPort.url();
        try (TestApi api = TestApi.start(c -> c.withProcessor(nowhere, Duration.ofSeconds(2), SandboxProcessor.Faults.NONE))) {
            ApiResponse response = api.post("/v1/payments", KEY_A, VISA);
            assertProblem(response, 503, "processor-unavailable");
            assertEquals("1", response.header("Retry-After"));
        }
    }

    @Test
    void gatewayTimeout504WhenTheProcessorDoesNotAnswer() {
        try (TestApi api = TestApi.start(c -> c.withProcessor(null, Duration.ofMillis(200), SandboxProcessor.Faults.NONE))) {
            assertProblem(api.post("/v1/payments", KEY_A, VISA.replace("pm_card_visa", "pm_card_processor_timeout")),
                    504, "processor-timeout");
            assertEquals(0, new Ledger(api.app().dataSource()).payments(), "no half-written payment");
        }
    }

    private static App.Seams seams(UnaryOperator<PaymentProcessor> decorator) {
        return new App.Seams(Clock.systemUTC(), decorator, new PrintStream(OutputStream.nullOutputStream()));
    }
}
