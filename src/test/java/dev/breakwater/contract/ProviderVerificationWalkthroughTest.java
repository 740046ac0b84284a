package dev.breakwater.contract;

import dev.breakwater.App;
import dev.breakwater.processor.SandboxProcessor;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.ClosedPort;
import dev.breakwater.support.BuggyProcessor;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives every operation through its success and error answers so that provider verification
 * (every TestApi.send is checked against openapi/v1.yaml) sees each documented status the server
 * can produce today. The assertions here only say which answer each step must reach; the contract
 * itself is asserted by the hook.
 */
class ProviderVerificationWalkthroughTest {

    @Test
    void customersAnswerAsDocumented() {
        try (TestApi api = TestApi.start()) {
            ApiResponse created = api.post("/v1/customers", KEY_A, "first-customer", """
                    {"email": "jenny.rosen@example.com", "name": "Jenny Rosen", "description": "VIP", "metadata": {"crm_id": "A-1"}}""");
            assertEquals(201, created.status(), created.toString());
            String id = created.json().get("id").asText();

            ApiResponse replayed = api.post("/v1/customers", KEY_A, "first-customer", """
                    {"email": "jenny.rosen@example.com", "name": "Jenny Rosen", "description": "VIP", "metadata": {"crm_id": "A-1"}}""");
            assertEquals("true", replayed.header("Idempotent-Replayed"));
            assertEquals(422, api.post("/v1/customers", KEY_A, "first-customer", "{}").status());
            assertEquals(201, api.post("/v1/customers", KEY_A, "{}").status());

            assertEquals(200, api.get("/v1/customers/" + id, KEY_A).status());
            assertEquals(404, api.get("/v1/customers/" + id, KEY_B).status());
            ApiResponse page = api.get("/v1/customers?limit=1", KEY_A);
            assertNotNull(page.header("Link"), page.toString());
            String cursor = page.json().get("next_cursor").asText();
            assertEquals(200, api.get("/v1/customers?limit=1&cursor=" + cursor, KEY_A).status());
            assertEquals(400, api.get("/v1/customers?limit=1&cursor=" + cursor + "x", KEY_A).status());
            assertEquals(400, api.get("/v1/customers?limit=0", KEY_A).status());

            ApiResponse updated = api.patch("/v1/customers/" + id, KEY_A, """
                    {"name": "Jenny Rosen-Smith", "description": null}""", Map.of("If-Match", created.header("ETag")));
            assertEquals(200, updated.status(), updated.toString());
            assertEquals(412, api.patch("/v1/customers/" + id, KEY_A, "{}", Map.of("If-Match", "\"1\"")).status());
            assertEquals(404, api.patch("/v1/customers/cus_000000000000000000000000", KEY_A, "{}", Map.of()).status());
        }
    }

    @Test
    void malformedRequestsGetTheirDocumentedProblems() {
        try (TestApi api = TestApi.start()) {
            assertEquals(400, api.post("/v1/customers", KEY_A, null, "{}").status());
            assertEquals(400, api.post("/v1/customers", KEY_A, "\"unterminated", "{}").status());
            assertEquals(400, api.post("/v1/customers", KEY_A, "{\"email\": ").status());
            assertEquals(400, api.post("/v1/customers", KEY_A, "{\"nickname\": \"x\"}").status());
            assertEquals(401, api.get("/v1/customers", "sk_test_not_a_key_0000000").status());
            assertEquals(401, api.send(api.request("/v1/customers").GET().build()).status());
            assertEquals(406, api.send(api.request("/v1/customers").header("Authorization", "Bearer " + KEY_A)
                    .header("Accept", "text/html").GET().build()).status());
            assertEquals(415, api.send(api.request("/v1/customers").header("Authorization", "Bearer " + KEY_A)
                    .header("Idempotency-Key", "k1").header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("name=x")).build()).status());
            assertEquals(413, api.post("/v1/customers", KEY_A,
                    "{\"description\": \"" + "x".repeat(70_000) + "\"}").status());
        }
    }

    @Test
    void requestsOutsideEveryOperationGetNotFoundOrMethodNotAllowed() {
        try (TestApi api = TestApi.start()) {
            assertEquals(404, api.get("/v1/nothing-here", KEY_A).status());
            ApiResponse notAllowed = api.send(api.request("/v1/customers").header("Authorization", "Bearer " + KEY_A)
                    .DELETE().build());
            assertEquals(405, notAllowed.status());
            assertEquals(200, api.send(api.request("/health").GET().build()).status());
            assertEquals(200, api.send(api.request("/openapi/v1.yaml").GET().build()).status());
        }
    }

    @Test
    void paymentsAnswerAsDocumented() {
        try (TestApi api = TestApi.start(c -> c.withProcessor(null, Duration.ofMillis(300), SandboxProcessor.Faults.NONE))) {
            String customer = api.post("/v1/customers", KEY_A, "{}").json().get("id").asText();
            ApiResponse automatic = api.post("/v1/payments", KEY_A, """
                    {"amount": 2000, "currency": "usd", "payment_method": "pm_card_visa", "customer": "%s",
                     "description": "Order 1", "metadata": {"order_id": "1"}}""".formatted(customer));
            assertEquals(201, automatic.status(), automatic.toString());
            String manual = api.createPayment(KEY_A, 5000, "manual");

            assertEquals(402, api.post("/v1/payments", KEY_A, payment("pm_card_declined")).status());
            assertEquals(402, api.post("/v1/payments", KEY_A, payment("pm_card_insufficient_funds")).status());
            assertEquals(502, api.post("/v1/payments", KEY_A, payment("pm_card_processor_error")).status());
            assertEquals(504, api.post("/v1/payments", KEY_A, payment("pm_card_processor_timeout")).status());
            assertEquals(422, api.post("/v1/payments", KEY_A, payment("pm_card_unknown")).status());
            assertEquals(422, api.post("/v1/payments", KEY_A, """
                    {"amount": 100, "currency": "xyz", "payment_method": "pm_card_visa"}""").status());
            assertEquals(422, api.post("/v1/payments", KEY_A, """
                    {"amount": 100, "currency": "usd", "payment_method": "pm_card_visa", "customer": "cus_000000000000000000000000"}""").status());

            assertEquals(200, api.get("/v1/payments/" + manual, KEY_A).status());
            assertEquals(404, api.get("/v1/payments/pay_000000000000000000000000", KEY_A).status());
            assertEquals(200, api.get("/v1/payments?customer=" + customer + "&status=succeeded&limit=5", KEY_A).status());
            assertEquals(400, api.get("/v1/payments?status=pending", KEY_A).status());

            assertEquals(422, api.post("/v1/payments/" + manual + "/capture", KEY_A, "{\"amount\": 6000}").status());
            ApiResponse captured = api.post("/v1/payments/" + manual + "/capture", KEY_A, "{\"amount\": 4500}");
            assertEquals(200, captured.status(), captured.toString());
            assertEquals(409, api.post("/v1/payments/" + manual + "/capture", KEY_A, "{}").status());
            assertEquals(409, api.post("/v1/payments/" + manual + "/cancel", KEY_A, "{}").status());

            String toCancel = api.createPayment(KEY_A, 700, "manual");
            ApiResponse canceled = api.send(api.request("/v1/payments/" + toCancel + "/cancel")
                    .header("Authorization", "Bearer " + KEY_A).header("Idempotency-Key", "\"cancel-1\"")
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, canceled.status(), canceled.toString());
            assertEquals(404, api.post("/v1/payments/pay_000000000000000000000000/cancel", KEY_A, "{}").status());
        }
    }

    @Test
    void aKeyStillExecutingIsInUse() throws Exception {
        try (TestApi api = TestApi.start(c -> c.withProcessor(null, Duration.ofMillis(1500), SandboxProcessor.Faults.NONE))) {
            String key = UUID.randomUUID().toString();
            CompletableFuture<ApiResponse> first = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/payments", KEY_A, key, payment("pm_card_processor_timeout")));
            Thread.sleep(300);
            ApiResponse second = api.post("/v1/payments", KEY_A, key, payment("pm_card_processor_timeout"));
            List<Integer> statuses = List.of(first.get().status(), second.status());

            assertTrue(statuses.contains(409) && statuses.contains(504), statuses.toString());
        }
    }

    @Test
    void processorOutagesAndInternalErrorsAnswerAsDocumented() {
        URI unreachable = ClosedPort.url();
        try (TestApi api = TestApi.start(c -> c.withProcessor(unreachable, Duration.ofSeconds(2), SandboxProcessor.Faults.NONE))) {
            ApiResponse unavailable = api.post("/v1/payments", KEY_A, payment("pm_card_visa"));
            assertEquals(503, unavailable.status(), unavailable.toString());
        }
        App.Seams broken = new App.Seams(App.Seams.PRODUCTION.clock(), BuggyProcessor::new,
                App.Seams.PRODUCTION.console());
        try (TestApi api = TestApi.start(c -> c, broken)) {
            assertEquals(500, api.post("/v1/payments", KEY_A, payment("pm_card_visa")).status());
        }
    }

    @Test
    void refundsAndEventsAnswerAsDocumented() {
        try (TestApi api = TestApi.start()) {
            String paid = api.createPayment(KEY_A, 1000, "automatic");
            String authorized = api.createPayment(KEY_A, 1000, "manual");
            ApiResponse refund = api.post("/v1/refunds", KEY_A, """
                    {"payment": "%s", "amount": 300, "reason": "requested_by_customer", "metadata": {"ticket": "T-1"}}"""
                    .formatted(paid));
            assertEquals(201, refund.status(), refund.toString());
            assertEquals(201, api.post("/v1/refunds", KEY_A, "{\"payment\": \"%s\"}".formatted(paid)).status());
            assertEquals(422, api.post("/v1/refunds", KEY_A, "{\"payment\": \"%s\"}".formatted(paid)).status());
            assertEquals(409, api.post("/v1/refunds", KEY_A, "{\"payment\": \"%s\"}".formatted(authorized)).status());
            assertEquals(422, api.post("/v1/refunds", KEY_A, "{\"payment\": \"pay_000000000000000000000000\"}").status());

            String refundId = refund.json().get("id").asText();
            assertEquals(200, api.get("/v1/refunds/" + refundId, KEY_A).status());
            assertEquals(404, api.get("/v1/refunds/" + refundId, KEY_B).status());
            assertEquals(200, api.get("/v1/refunds?payment=" + paid + "&limit=1", KEY_A).status());

            ApiResponse events = api.get("/v1/events?limit=100", KEY_A);
            assertEquals(200, events.status());
            events.json().get("data").forEach(e ->
                    assertEquals(200, api.get("/v1/events/" + e.get("id").asText(), KEY_A).status()));
            assertEquals(200, api.get("/v1/events?type=refund.succeeded", KEY_A).status());
            assertEquals(404, api.get("/v1/events/evt_000000000000000000000000", KEY_A).status());
        }
    }

    private static String payment(String paymentMethod) {
        return """
                {"amount": 1500, "currency": "eur", "payment_method": "%s"}""".formatted(paymentMethod);
    }
}
