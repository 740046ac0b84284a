package dev.breakwater.storm;

import com.sun.net.httpserver.Headers;
import dev.breakwater.App;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WithoutGuardsTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String VISA = """
            {"amount": 1000, "currency": "usd", "payment_method": "pm_card_visa"}""";

    @Test
    void beforeWiringKeepsEveryProductionFilterButTheGuardsAndPutsTheKeyForgetterFirst() {
        AtomicReference<List<Filter>> production = new AtomicReference<>();
        AtomicReference<List<Filter>> before = new AtomicReference<>();
        UnaryOperator<List<Filter>> capture = filters -> {
            production.set(filters);
            before.set(new WithoutGuards().apply(filters));
            return filters;
        };
        try (TestApi ignored = TestApi.start(UnaryOperator.identity(),
                new App.Seams(Clock.systemUTC(), UnaryOperator.identity(), QUIET, capture))) {
            List<Filter> rewired = before.get();

            assertInstanceOf(WithoutGuards.ForgetIdempotencyKeys.class, rewired.get(0));
            assertTrue(rewired.stream().noneMatch(WithoutGuards::isGuard), "no limiter left: " + rewired);
            assertEquals(production.get().stream().filter(f -> !WithoutGuards.isGuard(f)).toList(),
                    rewired.subList(1, rewired.size()), "every other filter kept, in order");
        }
    }

    @Test
    void retryWithTheSameKeyThroughTheBeforeWiringExecutesAsANewPayment() {
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(), QUIET, new WithoutGuards());
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams)) {
            ApiResponse first = api.post("/v1/payments", KEY_A, "order-1", VISA);
            ApiResponse retry = api.post("/v1/payments", KEY_A, "order-1", VISA);

            assertEquals(201, first.status());
            assertEquals(201, retry.status());
            assertNull(retry.header("Idempotent-Replayed"));
            assertNotEquals(first.json().get("id").asText(), retry.json().get("id").asText());
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(2, ledger.payments());
            assertEquals(2, ledger.charges());
            assertEquals(2, ledger.count("SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key LIKE 'order-1/%'"));
        }
    }

    @Test
    void theKeyForgetterHandsOnANewKeyAndReportsBackWhatLaterFiltersLearned() throws Exception {
        Request original = new Request("req_1", "POST", "/v1/payments", null,
                new Headers(Map.of("Idempotency-Key", List.of("\"order-1\""), "Authorization", List.of("Bearer x"))),
                new byte[0], null, 0);
        AtomicReference<Request> seen = new AtomicReference<>();

        new WithoutGuards.ForgetIdempotencyKeys().filter(original, request -> {
            seen.set(request);
            request.authenticatedAs("acct_a");
            request.routedTo("/v1/payments", Map.of());
            request.note("idempotency", "new");
            return Response.json(201, Map.of());
        });

        assertTrue(seen.get().header("Idempotency-Key").startsWith("order-1/"), seen.get().header("Idempotency-Key"));
        assertEquals("Bearer x", seen.get().header("Authorization"));
        assertEquals("acct_a", original.accountId());
        assertEquals("/v1/payments", original.routeTemplate());
        assertEquals("new", original.notes().get("idempotency"));
    }

    @Test
    void theClientKeyIsThePartBeforeTheAttemptSuffix() {
        assertEquals("order-1", WithoutGuards.clientKey("order-1/4f1c"));
        assertEquals("order-1", WithoutGuards.clientKey("order-1"));
        assertFalse(WithoutGuards.isGuard((request, next) -> next.handle(request)));
    }
}
