package dev.breakwater.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.breakwater.support.ProblemAssert.assertProblem;
import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nouns and their named transitions, end to end. */
class ResourceTest {

    @Test
    void customerIsCreatedFetchedListedAndPatchedWithEtags() {
        try (TestApi api = TestApi.start()) {
            ApiResponse created = api.post("/v1/customers", KEY_A,
                    "{\"email\": \"jenny@example.com\", \"name\": \"Jenny\", \"metadata\": {\"tier\": \"gold\"}}");
            assertEquals(201, created.status());
            JsonNode customer = created.json();
            String id = customer.get("id").asText();
            assertTrue(id.matches("cus_[0-9A-Za-z]{24}"), id);
            assertEquals("customer", customer.get("object").asText());
            assertEquals("\"1\"", created.header("ETag"));
            assertEquals("gold", customer.get("metadata").get("tier").asText());

            ApiResponse patched = api.patch("/v1/customers/" + id, KEY_A,
                    "{\"name\": \"Jenny R\", \"description\": null}", Map.of("If-Match", "\"1\""));
            assertEquals(200, patched.status(), patched::toString);
            assertEquals("\"2\"", patched.header("ETag"));
            assertEquals("Jenny R", patched.json().get("name").asText());
            assertEquals("jenny@example.com", patched.json().get("email").asText(), "absent fields are kept");

            ApiResponse stale = api.patch("/v1/customers/" + id, KEY_A, "{\"name\": \"X\"}", Map.of("If-Match", "\"1\""));
            assertProblem(stale, 412, "precondition-failed");
            ApiResponse weak = api.patch("/v1/customers/" + id, KEY_A, "{\"name\": \"X\"}", Map.of("If-Match", "W/\"2\""));
            assertProblem(weak, 412, "precondition-failed");

            ApiResponse fetched = api.get("/v1/customers/" + id, KEY_A);
            assertEquals("\"2\"", fetched.header("ETag"));
            assertEquals("Jenny R", fetched.json().get("name").asText());

            ApiResponse list = api.get("/v1/customers", KEY_A);
            assertEquals("list", list.json().get("object").asText());
            assertEquals(id, list.json().get("data").get(0).get("id").asText());

            List<String> types = api.get("/v1/events", KEY_A).json().get("data").findValuesAsText("type");
            assertEquals(List.of("customer.updated", "customer.created"), types);
        }
    }

    @Test
    void automaticPaymentSucceedsAndIsCapturedInFull() {
        try (TestApi api = TestApi.start()) {
            ApiResponse created = api.post("/v1/payments", KEY_A, """
                    {"amount": 2500, "currency": "eur", "payment_method": "pm_card_mastercard", "description": "Order 42",
                     "metadata": {"order": "42"}}""");
            JsonNode payment = created.json();
            assertEquals(201, created.status());
            assertTrue(payment.get("id").asText().matches("pay_[0-9A-Za-z]{24}"));
            assertEquals("succeeded", payment.get("status").asText());
            assertEquals(2500, payment.get("amount_captured").asLong());
            assertEquals(0, payment.get("amount_capturable").asLong());
            assertEquals("automatic", payment.get("capture_method").asText());
            assertEquals("payment.succeeded", api.get("/v1/events", KEY_A).json().get("data").get(0).get("type").asText());
        }
    }

    @Test
    void manualPaymentIsAuthorizedThenPartiallyCaptured() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 5000, "manual");
            assertEquals("requires_capture", api.get("/v1/payments/" + id, KEY_A).json().get("status").asText());

            ApiResponse tooMuch = api.post("/v1/payments/" + id + "/capture", KEY_A, "{\"amount\": 5001}");
            assertProblem(tooMuch, 422, "unprocessable");

            ApiResponse captured = api.post("/v1/payments/" + id + "/capture", KEY_A, "{\"amount\": 3000}");
            assertEquals(200, captured.status());
            assertEquals("succeeded", captured.json().get("status").asText());
            assertEquals(3000, captured.json().get("amount_captured").asLong());
            assertEquals(0, captured.json().get("amount_capturable").asLong());

            assertProblem(api.post("/v1/payments/" + id + "/capture", KEY_A, "{}"), 409, "invalid-state");
            assertProblem(api.post("/v1/payments/" + id + "/cancel", KEY_A, "{}"), 409, "invalid-state");
        }
    }

    @Test
    void captureAndCancelAcceptAnEmptyBody() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 5000, "manual");
            ApiResponse canceled = api.send(api.request("/v1/payments/" + id + "/cancel")
                    .header("Authorization", "Bearer " + KEY_A).header("Idempotency-Key", "cancel-1")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, canceled.status(), canceled::toString);
            assertEquals("canceled", canceled.json().get("status").asText());
            assertEquals(0, canceled.json().get("amount_capturable").asLong());
            assertProblem(api.post("/v1/payments/" + id + "/capture", KEY_A, "{}"), 409, "invalid-state");
        }
    }

    @Test
    void refundsNeverExceedTheCapturedAmount() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "automatic");
            ApiResponse first = api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 600, \"reason\": \"requested_by_customer\"}");
            assertEquals(201, first.status(), first::toString);
            assertEquals("succeeded", first.json().get("status").asText());
            assertEquals("/v1/refunds/" + first.json().get("id").asText(), first.header("Location"));

            assertProblem(api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 401}"), 422, "unprocessable");
            ApiResponse rest = api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\"}");
            assertEquals(400, rest.json().get("amount").asLong(), "no amount refunds what remains");
            assertProblem(api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 1}"), 422, "unprocessable");

            JsonNode payment = api.get("/v1/payments/" + id, KEY_A).json();
            assertEquals(1000, payment.get("amount_refunded").asLong());
            assertEquals(2, api.get("/v1/refunds?payment=" + id, KEY_A).json().get("data").size());
        }
    }

    @Test
    void concurrentRefundsWithDifferentKeysNeverOverRefund() throws Exception {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "automatic");
            List<Future<ApiResponse>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 20; i++) {
                    futures.add(pool.submit(() -> api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 300}")));
                }
                int ok = 0;
                for (Future<ApiResponse> future : futures) {
                    ApiResponse response = future.get();
                    if (response.status() == 201) {
                        ok++;
                    } else {
                        assertProblem(response, 422, "unprocessable");
                    }
                }
                assertEquals(3, ok, "1000 captured allows exactly three refunds of 300");
            }
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(900, ledger.count("SELECT SUM(amount) FROM refunds"));
            assertEquals(3, ledger.count("SELECT COUNT(*) FROM sandbox_operations WHERE operation = 'refund'"));
        }
    }

    @Test
    void refundOfAnUncapturedPaymentIs409AndOfAnUnknownOne422() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "manual");
            ApiResponse response = api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\"}");
            assertProblem(response, 409, "invalid-state");
            assertEquals("requires_capture", response.json().get("current_status").asText());
            ApiResponse unknown = api.post("/v1/refunds", KEY_A, "{\"payment\": \"pay_000000000000000000000000\"}");
            assertProblem(unknown, 422, "unprocessable");
            assertEquals("/payment", unknown.json().get("errors").get(0).get("pointer").asText());
        }
    }

    @Test
    void paymentForAnUnknownCustomerIs422AndForAKnownOneIsLinked() {
        try (TestApi api = TestApi.start()) {
            ApiResponse unknown = api.post("/v1/payments", KEY_A, """
                    {"amount": 100, "currency": "usd", "payment_method": "pm_card_visa", "customer": "cus_000000000000000000000000"}""");
            assertProblem(unknown, 422, "unprocessable");
            String customer = api.post("/v1/customers", KEY_A, "{}").json().get("id").asText();
            ApiResponse linked = api.post("/v1/payments", KEY_A, """
                    {"amount": 100, "currency": "usd", "payment_method": "pm_card_visa", "customer": "%s"}""".formatted(customer));
            assertEquals(customer, linked.json().get("customer").asText());
            assertEquals(1, api.get("/v1/payments?customer=" + customer, KEY_A).json().get("data").size());
        }
    }

    @Test
    void anotherAccountsObjectsAreInvisible() {
        try (TestApi api = TestApi.start()) {
            String payment = api.createPayment(KEY_A, 1000, "manual");
            String customer = api.post("/v1/customers", KEY_A, "{}").json().get("id").asText();

            assertProblem(api.get("/v1/payments/" + payment, KEY_B), 404, "not-found");
            assertProblem(api.get("/v1/customers/" + customer, KEY_B), 404, "not-found");
            assertProblem(api.post("/v1/payments/" + payment + "/capture", KEY_B, "{}"), 404, "not-found");
            assertProblem(api.patch("/v1/customers/" + customer, KEY_B, "{}", Map.of()), 404, "not-found");
            assertProblem(api.post("/v1/refunds", KEY_B, "{\"payment\": \"" + payment + "\"}"), 422, "unprocessable");
            ApiResponse b = api.post("/v1/payments", KEY_B, """
                    {"amount": 100, "currency": "usd", "payment_method": "pm_card_visa", "customer": "%s"}""".formatted(customer));
            assertProblem(b, 422, "unprocessable");

            assertEquals(0, api.get("/v1/payments", KEY_B).json().get("data").size());
            assertEquals(0, api.get("/v1/events", KEY_B).json().get("data").size());
            String eventId = api.get("/v1/events", KEY_A).json().get("data").get(0).get("id").asText();
            assertProblem(api.get("/v1/events/" + eventId, KEY_B), 404, "not-found");
            assertEquals(200, api.get("/v1/events/" + eventId, KEY_A).status());
        }
    }

    @Test
    void eventsAreWrittenWithTheChangeTheyDescribe() {
        try (TestApi api = TestApi.start()) {
            String id = api.createPayment(KEY_A, 1000, "manual");
            api.post("/v1/payments/" + id + "/capture", KEY_A, "{}");
            api.post("/v1/refunds", KEY_A, "{\"payment\": \"" + id + "\", \"amount\": 100}");
            api.post("/v1/payments", KEY_A, "{\"amount\": 100, \"currency\": \"usd\", \"payment_method\": \"pm_card_declined\"}");

            List<String> types = api.get("/v1/events?limit=100", KEY_A).json().get("data").findValuesAsText("type");
            assertEquals(List.of("payment.failed", "refund.succeeded", "refund.created", "payment.captured",
                    "payment.requires_capture"), types);
            JsonNode captured = api.get("/v1/events?type=payment.captured", KEY_A).json().get("data").get(0);
            assertEquals(id, captured.get("data").get("object").get("id").asText());
            assertEquals("succeeded", captured.get("data").get("object").get("status").asText());
        }
    }

    @Test
    void healthAndSpecAreServedWithoutAuth() {
        try (TestApi api = TestApi.start()) {
            ApiResponse health = api.send(api.request("/health").GET().build());
            assertEquals(200, health.status());
            assertEquals("ok", health.json().get("status").asText());
            ApiResponse spec = api.send(api.request("/openapi/v1.yaml").GET().build());
            assertEquals(200, spec.status());
            assertEquals("application/yaml", spec.contentType());
            assertTrue(spec.body().contains("\nopenapi: 3.1"), "the served file is the OpenAPI 3.1 contract");
        }
    }
}
