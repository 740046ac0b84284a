package dev.breakwater.http.ratelimit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrafficClassTest {

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
    void classifiesByMethodAndPathShape(String method, String path, TrafficClass expected) {
        assertEquals(expected, TrafficClass.of(method, path));
    }
}
