package dev.breakwater.http;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {
    private final Handler ok = request -> Response.json(200, Map.of());
    private final Router router = new Router()
            .add("GET", "/v1/payments", ok)
            .add("POST", "/v1/payments", ok)
            .add("GET", "/v1/payments/{id}", ok)
            .add("POST", "/v1/payments/{id}/capture", ok);

    @Test
    void bindsTemplateParameters() {
        Router.Match match = router.match("POST", "/v1/payments/pay_1/capture");
        assertEquals("/v1/payments/{id}/capture", match.route().template());
        assertEquals(Map.of("id", "pay_1"), match.params());
    }

    @Test
    void bindsEveryParameterAndLeavesLiteralsOut() {
        Router nested = new Router().add("GET", "/v1/customers/{customer}/payments/{id}", ok);

        Router.Match match = nested.match("GET", "/v1/customers/cus_9/payments/pay_2");

        assertEquals(Map.of("customer", "cus_9", "id", "pay_2"), match.params());
        assertThrows(ProblemException.class, () -> nested.match("GET", "/v1/customers/cus_9/refunds/pay_2"));
    }

    @Test
    void unknownPathIsNotFoundEvenWhenAPrefixMatches() {
        for (String path : new String[]{"/v1/pay", "/v1/paymentsx", "/v1/payments/pay_1/capture/x", "/v1/payments//capture", "/"}) {
            ProblemException e = assertThrows(ProblemException.class, () -> router.match("GET", path), path);
            assertEquals(ProblemType.NOT_FOUND, e.type(), path);
        }
    }

    @Test
    void knownPathWithOtherMethodIs405WithAllow() {
        ProblemException e = assertThrows(ProblemException.class, () -> router.match("DELETE", "/v1/payments"));
        assertEquals(ProblemType.METHOD_NOT_ALLOWED, e.type());
        assertEquals("GET, POST", e.headers().get("Allow"));
    }

    @Test
    void duplicateRouteFailsAtStartup() {
        assertThrows(IllegalStateException.class, () -> router.add("GET", "/v1/payments/{other}", ok));
    }
}
