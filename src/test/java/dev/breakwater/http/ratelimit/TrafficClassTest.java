package dev.breakwater.http.ratelimit;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.http.Request;
import dev.breakwater.http.TrafficClass;
import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The load shedder's classes come from the production route table; a request no route matches is classed by method. */
class TrafficClassTest {
    private static App.Running app;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("breakwater-traffic-class");
        app = App.start(AppConfig.defaults(dir).withApiKeys(java.util.Map.of("sk_test_traffic_class_0001", "acct_a")));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /v1/payments, CRITICAL",
            "POST, /v1/payments/pay_123/capture, CRITICAL",
            "POST, /v1/refunds, CRITICAL",
            "POST, /v1/payments/pay_123/cancel, WRITE",
            "POST, /v1/customers, WRITE",
            "PATCH, /v1/customers/cus_1, WRITE",
            "DELETE, /v1/payments, WRITE",
            "POST, /v1/payments//capture, WRITE",
            "POST, /v1/payments/a/b/capture, WRITE",
            "POST, /v1/paymentsX/capture, WRITE",
            "POST, /v1/payments/, WRITE",
            "GET, /v1/payments, READ",
            "GET, /v1/payments/pay_123/capture, READ",
            "HEAD, /v1/events, READ",
    })
    void classifiesByTheRouteTableThenByMethod(String method, String path, TrafficClass expected) throws Exception {
        Request request = new Request("req_1", method, path, null, new Headers(), new byte[0], null, 0);

        app.router().resolver().filter(request, resolved -> null);

        assertEquals(expected, request.trafficClass());
    }
}
