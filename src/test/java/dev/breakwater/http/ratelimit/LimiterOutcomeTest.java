package dev.breakwater.http.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.breakwater.common.Json;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each limiter on its own, without a socket: the outcome it notes for logs and metrics (exactly
 * {@code allowed}, {@code rejected:<policy>}, {@code concurrency}, {@code shed}) and the headers
 * it attaches.
 */
class LimiterOutcomeTest {
    private static final Handler OK = request -> Response.json(200, Map.of());
    private final AtomicLong clock = new AtomicLong();
    private final InMemoryRateLimitStore store = new InMemoryRateLimitStore();

    @Test
    void accountLimiterNotesRejectionWithThePolicyName() throws Exception {
        AccountRateLimiter limiter = new AccountRateLimiter(store, new RatePolicy("writes", 1, 10),
                new RatePolicy("reads", 5, 1), clock::get);
        Request first = request("POST", "/v1/payments");
        Request second = request("POST", "/v1/payments");

        limiter.filter(first, OK);
        Response rejected = limiter.filter(second, OK);

        assertEquals(Map.of(), first.notes(), "allowed is noted once, by the shedder in front");
        assertEquals("rejected:writes", second.notes().get("ratelimit"));
        assertEquals(429, rejected.status());
        assertEquals(ProblemType.QUOTA_EXCEEDED.uri(), rejected.problemType());
        JsonNode body = Json.parse(rejected.body());
        assertEquals("writes", body.get("violated-policies").get(0).asText());
        assertEquals(second.requestId(), body.get("request_id").asText());
        assertEquals("10", rejected.header("Retry-After"));
        assertEquals(Map.of("RateLimit-Policy", "\"writes\";q=1;w=10", "RateLimit", "\"writes\";r=0;t=10"),
                second.responseHeaders());
    }

    @Test
    void eachRejectionSaysItsOwnWaitThoughRejectionsAreRenderedOncePerWait() throws Exception {
        AccountRateLimiter limiter = new AccountRateLimiter(store, new RatePolicy("writes", 1, 10),
                new RatePolicy("reads", 5, 1), clock::get);
        limiter.filter(request("POST", "/v1/payments"), OK);

        Response atOnce = limiter.filter(request("POST", "/v1/payments"), OK);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        Request later = request("POST", "/v1/payments");
        Response fiveSecondsLater = limiter.filter(later, OK);
        Response againThen = limiter.filter(request("POST", "/v1/payments"), OK);

        assertEquals("10", atOnce.header("Retry-After"));
        assertEquals("5", fiveSecondsLater.header("Retry-After"));
        assertEquals("\"writes\";r=0;t=5", later.responseHeaders().get("RateLimit"));
        JsonNode five = Json.parse(fiveSecondsLater.body());
        JsonNode again = Json.parse(againThen.body());
        assertTrue(five.get("detail").asText().contains("Retry after 5 s"), five.toString());
        assertEquals(later.requestId(), five.get("request_id").asText());
        ((ObjectNode) five).remove("request_id");
        ((ObjectNode) again).remove("request_id");
        assertEquals(five, again, "the same wait, the same problem");
    }

    @Test
    void getsDrawOnTheReadPolicy() throws Exception {
        AccountRateLimiter limiter = new AccountRateLimiter(store, new RatePolicy("writes", 1, 10),
                new RatePolicy("reads", 5, 1), clock::get);
        Request read = request("GET", "/v1/payments");

        limiter.filter(read, OK);

        assertEquals(Map.of("RateLimit-Policy", "\"reads\";q=5;w=1", "RateLimit", "\"reads\";r=4;t=1"),
                read.responseHeaders());
    }

    @Test
    void concurrencyLimiterNotesConcurrencyAndFreesTheSlotWhenTheRequestEnds() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(new InMemoryConcurrencyStore(), 1);
        Request inner = request("POST", "/v1/payments");
        Request outer = request("POST", "/v1/payments");

        limiter.filter(outer, r -> {
            ProblemException problem = assertThrows(ProblemException.class, () -> limiter.filter(inner, OK));
            assertEquals(ProblemType.CONCURRENCY_LIMIT_EXCEEDED, problem.type());
            assertEquals(List.of("concurrency"), problem.extensions().get("violated-policies"));
            return OK.handle(r);
        });
        Request after = request("POST", "/v1/payments");
        limiter.filter(after, OK);

        assertEquals("concurrency", inner.notes().get("ratelimit"));
        assertEquals(Map.of("RateLimit-Policy", "\"concurrency\";q=1;qu=\"concurrent-requests\"",
                "RateLimit", "\"concurrency\";r=0;t=1"), inner.responseHeaders());
        assertEquals(Map.of(), after.notes());
    }

    @Test
    void shedderNotesAllowedOrShed() throws Exception {
        LoadShedder shedder = new LoadShedder(new RateLimitConfig.Shedding(2, 50, 50));
        Request admitted = request("GET", "/v1/payments");
        Request shed = request("GET", "/v1/events");

        shedder.filter(admitted, r -> {
            assertThrows(ProblemException.class, () -> shedder.filter(shed, OK));
            return OK.handle(r);
        });

        assertEquals("allowed", admitted.notes().get("ratelimit"));
        assertEquals("shed", shed.notes().get("ratelimit"));
        assertEquals("\"capacity\";q=0;qu=\"concurrent-requests\"", shed.responseHeaders().get("RateLimit-Policy"));
        assertEquals(0, shedder.inFlight());
    }

    @Test
    void addressLimiterCountsOnlyFailedAuthenticationsAndThenRejectsBeforeAuthenticating() throws Exception {
        ClientAddressLimiter limiter = new ClientAddressLimiter(store, new RatePolicy("auth-failures", 1, 60), clock::get,
                request -> false);
        Handler unauthorized = request -> {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "bad key");
        };
        Handler mustNotRun = request -> {
            throw new AssertionError("authentication ran for a locked-out address");
        };

        for (int i = 0; i < 3; i++) {
            limiter.filter(request("GET", "/v1/payments"), OK);
        }
        Request failed = request("GET", "/v1/payments");
        assertThrows(ProblemException.class, () -> limiter.filter(failed, unauthorized));
        Request locked = request("GET", "/v1/payments");
        ProblemException problem = assertThrows(ProblemException.class, () -> limiter.filter(locked, mustNotRun));

        assertEquals("\"auth-failures\";r=0;t=60", failed.responseHeaders().get("RateLimit"));
        assertEquals(ProblemType.QUOTA_EXCEEDED, problem.type());
        assertEquals("rejected:auth-failures", locked.notes().get("ratelimit"));
        assertEquals(List.of("auth-failures"), problem.extensions().get("violated-policies"));
    }

    @Test
    void aLockedOutAddressStillReachesAuthenticationWithAKeyThatMayBeValid() throws Exception {
        Headers headers = new Headers();
        headers.set("Authorization", "Bearer sk_test_valid");
        Request withValidKey = new Request("req_test", "GET", "/v1/payments", null, headers, new byte[0],
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000), 0);
        ClientAddressLimiter limiter = new ClientAddressLimiter(store, new RatePolicy("auth-failures", 1, 60), clock::get,
                request -> "Bearer sk_test_valid".equals(request.header("Authorization")));
        Handler unauthorized = request -> {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "bad key");
        };
        Handler mustNotRun = request -> {
            throw new AssertionError("authentication ran for a key that cannot be valid");
        };
        assertThrows(ProblemException.class, () -> limiter.filter(request("GET", "/v1/payments"), unauthorized));

        Response served = limiter.filter(withValidKey, OK);
        ProblemException refused = assertThrows(ProblemException.class,
                () -> limiter.filter(request("GET", "/v1/payments"), mustNotRun));

        assertEquals(200, served.status());
        assertNull(withValidKey.notes().get("ratelimit"));
        assertEquals(ProblemType.QUOTA_EXCEEDED, refused.type());
    }

    @Test
    void ipv6ClientsArePartitionedByTheirSlash64() throws UnknownHostException {
        String a = ClientAddressLimiter.key(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:aaaa::1"), 1));
        String b = ClientAddressLimiter.key(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:bbbb::9"), 1));
        String v4 = ClientAddressLimiter.key(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 1));

        assertEquals("20010db800010002/64", a);
        assertEquals(a, b);
        assertEquals("192.0.2.7", v4);
    }

    private static Request request(String method, String path) throws UnknownHostException {
        Request request = new Request("req_test", method, path, null, new Headers(), new byte[0],
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000), 0);
        request.authenticatedAs("acct_a");
        return request;
    }
}
