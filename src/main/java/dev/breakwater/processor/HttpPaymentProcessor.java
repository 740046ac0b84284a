package dev.breakwater.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.domain.DomainException;
import dev.breakwater.trace.TraceContext;
import dev.breakwater.trace.TraceParent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Calls an external card processor over HTTP/JSON. Each call sends our processor key as its
 * {@code Idempotency-Key}; a timeout, a 5xx or a broken connection leaves the outcome unknown
 * and surfaces as a {@link ProcessorException} for the caller to retry with the same key.
 *
 * <p>Wire format: {@code POST /authorizations {amount,currency,payment_method,capture,reference}}
 * answers {@code {"id","status":"approved"|"declined","decline_code","message"}};
 * {@code POST /charges/{id}/capture {amount}}, {@code POST /charges/{id}/cancel},
 * {@code POST /refunds {charge,amount}} answer 2xx with {@code {"id"}}. A 422 problem
 * {@code {"detail","errors":[{"pointer","detail"}]}} is a request the processor cannot process
 * (e.g. an unknown payment method) and becomes the edge's 422, as it does from the sandbox. The
 * current request's {@code traceparent} goes along as a header.
 */
public final class HttpPaymentProcessor implements PaymentProcessor {
    private final HttpClient client;
    private final URI baseUri;
    private final Duration timeout;

    public HttpPaymentProcessor(URI baseUri, Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.baseUri = baseUri;
        this.timeout = timeout;
    }

    @Override
    public Authorization authorize(String processorKey, String reference, long amount, String currency,
                                   String paymentMethod, boolean capture) {
        ObjectNode body = Json.object()
                .put("amount", amount)
                .put("currency", currency)
                .put("payment_method", paymentMethod)
                .put("capture", capture)
                .put("reference", reference);
        JsonNode answer = post("/authorizations", processorKey, body);
        String status = answer.path("status").asText();
        return switch (status) {
            case "approved" -> Authorization.approved(requireText(answer, "id"));
            case "declined" -> Authorization.declined(answer.path("decline_code").asText("generic_decline"),
                    answer.path("message").asText("The card was declined."));
            default -> throw new ProcessorException(ProcessorException.Kind.ERROR,
                    "processor answered an unknown authorization status '" + status + "'");
        };
    }

    @Override
    public void capture(String processorKey, String chargeId, long amount) {
        post("/charges/" + chargeId + "/capture", processorKey, Json.object().put("amount", amount));
    }

    @Override
    public void cancel(String processorKey, String chargeId) {
        post("/charges/" + chargeId + "/cancel", processorKey, Json.object());
    }

    @Override
    public String refund(String processorKey, String chargeId, long amount) {
        JsonNode answer = post("/refunds", processorKey, Json.object().put("charge", chargeId).put("amount", amount));
        return requireText(answer, "id");
    }

    private JsonNode post(String path, String processorKey, ObjectNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", processorKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        TraceContext.current().ifPresent(trace -> builder.header(TraceParent.HEADER, trace.child().header()));
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "processor unreachable: " + e, e);
        } catch (HttpTimeoutException e) {
            throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "processor timed out after " + timeout, e);
        } catch (IOException e) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "processor connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "interrupted while waiting for the processor", e);
        }
        int status = response.statusCode();
        if (status == 429 || status == 503) {
            throw new ProcessorException(ProcessorException.Kind.UNAVAILABLE, "processor unavailable: HTTP " + status);
        }
        if (status == 504) {
            throw new ProcessorException(ProcessorException.Kind.TIMEOUT, "processor gateway timeout");
        }
        if (status == 422) {
            throw unprocessable(response.body());
        }
        if (status < 200 || status > 299) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "processor answered HTTP " + status);
        }
        try {
            return Json.parse(response.body());
        } catch (IOException e) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "processor answered malformed JSON", e);
        }
    }

    private static RuntimeException unprocessable(byte[] problem) {
        try {
            JsonNode body = Json.parse(problem);
            JsonNode error = body.path("errors").path(0);
            return new DomainException.Unprocessable(error.path("pointer").asText(""),
                    error.path("detail").asText(body.path("detail").asText("The processor cannot process this request.")));
        } catch (IOException e) {
            return new ProcessorException(ProcessorException.Kind.ERROR, "processor answered 422 without a problem body", e);
        }
    }

    private static String requireText(JsonNode node, String field) {
        String value = node.path(field).asText(null);
        if (value == null || value.isEmpty()) {
            throw new ProcessorException(ProcessorException.Kind.ERROR, "processor answer lacks '" + field + "'");
        }
        return value;
    }
}
