package dev.breakwater.processor;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.breakwater.support.ProblemAssert.assertProblem;
import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The HTTP processor client against a WireMock processor, including its faults. */
class HttpPaymentProcessorTest {
    private WireMockServer processor;
    private HttpPaymentProcessor client;

    @BeforeEach
    void start() {
        processor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        processor.start();
        client = new HttpPaymentProcessor(URI.create(processor.baseUrl() + "/"), Duration.ofSeconds(2), Duration.ofMillis(1500));
    }

    @AfterEach
    void stop() {
        processor.stop();
    }

    @Test
    void approvedAuthorizationCarriesOurProcessorKeyAsIdempotencyKey() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": \"ch_123\", \"status\": \"approved\"}")));

        PaymentProcessor.Authorization result = client.authorize("bw_key_1", "pay_1", 1000, "usd", "pm_card_visa", true);

        assertEquals(PaymentProcessor.Authorization.approved("ch_123"), result);
        processor.verify(postRequestedFor(urlEqualTo("/authorizations"))
                .withHeader("Idempotency-Key", equalTo("bw_key_1"))
                .withRequestBody(matchingJsonPath("$.amount", equalTo("1000")))
                .withRequestBody(matchingJsonPath("$.capture", equalTo("true"))));
    }

    @Test
    void declineIsADefiniteAnswer() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withStatus(200).withBody(
                "{\"id\": \"ch_9\", \"status\": \"declined\", \"decline_code\": \"stolen_card\", \"message\": \"Declined.\"}")));

        PaymentProcessor.Authorization result = client.authorize("k", "pay_1", 1000, "usd", "pm_x", true);

        assertEquals(false, result.approved());
        assertEquals("stolen_card", result.declineCode());
    }

    @Test
    void serverErrorIsAProcessorError() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withStatus(500)));
        assertKind(ProcessorException.Kind.ERROR);
    }

    @Test
    void slowAnswerIsATimeout() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withStatus(200).withFixedDelay(5000)
                .withBody("{\"id\": \"ch_1\", \"status\": \"approved\"}")));
        assertKind(ProcessorException.Kind.TIMEOUT);
    }

    @Test
    void connectionResetIsAProcessorError() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertKind(ProcessorException.Kind.ERROR);
    }

    @Test
    void garbageAnswerIsAProcessorError() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        assertKind(ProcessorException.Kind.ERROR);
    }

    @Test
    void overloadedProcessorIsUnavailable() {
        processor.stubFor(post("/authorizations").willReturn(aResponse().withStatus(503)));
        assertKind(ProcessorException.Kind.UNAVAILABLE);
    }

    @Test
    void stoppedProcessorIsUnavailable() {
        processor.stop();
        assertKind(ProcessorException.Kind.UNAVAILABLE);
    }

    @Test
    void throughTheServerAFaultyProcessorGives502AndTheRetryCompletesOnce() {
        processor.stubFor(post("/authorizations").inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("recovered"));
        processor.stubFor(post("/authorizations").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\": \"ch_77\", \"status\": \"approved\"}")));
        URI url = URI.create(processor.baseUrl() + "/");
        try (TestApi api = TestApi.start(c -> c.withProcessor(url, Duration.ofSeconds(2), SandboxProcessor.Faults.NONE))) {
            String body = "{\"amount\": 1000, \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\"}";
            ApiResponse failed = api.post("/v1/payments", KEY_A, "key-1", body);
            ApiResponse retried = api.post("/v1/payments", KEY_A, "key-1", body);

            assertProblem(failed, 502, "processor-error");
            assertEquals(201, retried.status(), retried::toString);
            var calls = processor.findAll(postRequestedFor(urlEqualTo("/authorizations")));
            assertEquals(2, calls.size());
            assertEquals(calls.get(0).getHeader("Idempotency-Key"), calls.get(1).getHeader("Idempotency-Key"),
                    "the retry re-asks the processor with the same key, so it cannot charge twice");
        }
    }

    private void assertKind(ProcessorException.Kind kind) {
        ProcessorException e = assertThrows(ProcessorException.class,
                () -> client.authorize("k", "pay_1", 1000, "usd", "pm_card_visa", true));
        assertEquals(kind, e.kind(), e.getMessage());
    }
}
