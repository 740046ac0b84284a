package dev.breakwater.storm;

import com.sun.net.httpserver.Headers;
import dev.breakwater.App;
import dev.breakwater.http.Filter;
import dev.breakwater.http.OnlyUnder;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.ratelimit.AccountRateLimiter;
import dev.breakwater.http.ratelimit.ClientAddressLimiter;
import dev.breakwater.http.ratelimit.ConcurrencyLimiter;
import dev.breakwater.http.ratelimit.LoadShedder;
import dev.breakwater.support.Ledger;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WithoutGuardsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

            List<Class<?>> guards = production.get().stream().filter(WithoutGuards::isGuard)
                    .map(f -> ((OnlyUnder) f).filter().getClass()).collect(Collectors.toList());
            assertTrue(guards.containsAll(List.of(LoadShedder.class, ClientAddressLimiter.class,
                    AccountRateLimiter.class, ConcurrencyLimiter.class)), "every limiter is recognised: " + guards);
            assertInstanceOf(WithoutGuards.ForgetIdempotencyKeys.class, rewired.get(0));
            assertTrue(rewired.stream().noneMatch(WithoutGuards::isGuard), "no limiter left: " + rewired);
            assertEquals(production.get().stream().filter(f -> !WithoutGuards.isGuard(f)).toList(),
                    rewired.subList(1, rewired.size()), "every other filter kept, in order");
        }
    }

    @Test
    void retryWithTheSameKeyThroughTheBeforeWiringExecutesAsANewPayment() throws Exception {
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(), QUIET, new WithoutGuards());
        try (TestApi api = TestApi.start(UnaryOperator.identity(), seams)) {
            // Not through TestApi.send: the guard-less server breaks the contract on purpose (no RateLimit headers).
            HttpResponse<String> first = post(api, "order-1");
            HttpResponse<String> retry = post(api, "order-1");

            assertEquals(201, first.statusCode());
            assertEquals(201, retry.statusCode());
            assertTrue(retry.headers().firstValue("Idempotent-Replayed").isEmpty());
            assertNotEquals(first.headers().firstValue("Location"), retry.headers().firstValue("Location"));
            Ledger ledger = new Ledger(api.app().dataSource());
            assertEquals(2, ledger.payments());
            assertEquals(2, ledger.charges());
            assertEquals(2, ledger.count("SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key LIKE 'order-1/%'"));
        }
    }

    private static HttpResponse<String> post(TestApi api, String idempotencyKey) throws Exception {
        return HTTP.send(api.request("/v1/payments")
                .header("Authorization", "Bearer " + KEY_A)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(VISA)).build(), HttpResponse.BodyHandlers.ofString());
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
