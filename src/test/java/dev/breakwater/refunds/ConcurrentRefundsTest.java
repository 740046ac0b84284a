package dev.breakwater.refunds;

import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Concurrent refunds of one payment usually land in the same commit group, where each locks and
 * re-reads the payment row on the shared writer connection: the group must behave as if they
 * ran one after another, and a rejected one must leave nothing behind.
 */
class ConcurrentRefundsTest {

    @Test
    void concurrentRefundsNeverExceedTheCapturedAmountAndTheRejectedOnesLeaveNoTrace() throws Exception {
        try (TestApi api = TestApi.start()) {
            // given: a captured payment of 1000
            String payment = api.createPayment(TestApi.KEY_A, 1000, "automatic");

            // when: ten refunds of 300 arrive at once
            List<Future<ApiResponse>> refunds = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 10; i++) {
                    refunds.add(clients.submit(() -> api.post("/v1/refunds", TestApi.KEY_A,
                            "{\"payment\": \"" + payment + "\", \"amount\": 300}")));
                }
            }

            // then: exactly three fit; the other seven are 422 unprocessable, and only three refunds exist
            int created = 0;
            for (Future<ApiResponse> refund : refunds) {
                ApiResponse response = refund.get();
                if (response.status() == 201) {
                    created++;
                } else {
                    assertEquals(422, response.status(), response.toString());
                    assertEquals("application/problem+json", response.contentType(), response.toString());
                    assertEquals("/problems/unprocessable", response.problemType(), response.toString());
                }
            }
            assertEquals(3, created);
            assertEquals(900, api.get("/v1/payments/" + payment, TestApi.KEY_A).json().get("amount_refunded").asLong());
            assertEquals(3, api.get("/v1/refunds?payment=" + payment, TestApi.KEY_A).json().get("data").size());
        }
    }
}
