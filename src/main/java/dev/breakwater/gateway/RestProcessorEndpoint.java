package dev.breakwater.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.breakwater.domain.DomainException;
import dev.breakwater.common.Json;
import dev.breakwater.processor.HttpPaymentProcessor;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.ProcessorException;
import dev.breakwater.trace.TraceParent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processor contract over HTTP/JSON, in exactly the shape {@link HttpPaymentProcessor}
 * speaks, so the edge can reach the same gateway at {@code http://}. Failures answer what that
 * client maps back to the same port failures as gRPC does: 504 timeout, 503 unavailable,
 * 429 at the in-flight limit, 422 problem with {@code errors[].pointer} for a request that cannot
 * be processed, 500 processor error; a malformed call is a 400. Every exception is answered
 * here: one escaping a JDK handler would drop the connection instead.
 */
final class RestProcessorEndpoint implements HttpHandler {
    static final String TRANSPORT = "http";
    private static final Pattern CHARGE_ACTION = Pattern.compile("/charges/([^/]+)/(capture|cancel)");
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final PaymentProcessor processor;
    private final GatewayCalls calls;

    RestProcessorEndpoint(PaymentProcessor processor, GatewayCalls calls) {
        this.processor = processor;
        this.calls = calls;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status;
            JsonNode body;
            try {
                Answer answer = route(exchange);
                status = answer.status();
                body = answer.body();
            } catch (RuntimeException e) {
                Answer problem = problem(e);
                status = problem.status();
                body = problem.body();
                if (e instanceof GatewayCalls.Overloaded) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                }
            }
            byte[] bytes = Json.write(body);
            exchange.getResponseHeaders().set("Content-Type",
                    status >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    /** A call the gateway cannot take as sent (our own client's bug, never the card holder's). */
    private static final class BadCall extends RuntimeException {
        final int status;

        BadCall(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private Answer route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        boolean known = path.equals("/authorizations") || path.equals("/authorizations/batch")
                || path.equals("/refunds") || CHARGE_ACTION.matcher(path).matches();
        if (!known) {
            throw new BadCall(404, "no such processor endpoint: " + path);
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new BadCall(405, "only POST is allowed here");
        }
        JsonNode body = readBody(exchange);
        String trace = TraceParent.parse(exchange.getRequestHeaders().getFirst(TraceParent.HEADER))
                .map(TraceParent::header).orElse(null);
        if (path.equals("/authorizations/batch")) {
            return new Answer(200, batch(body, trace));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            throw new BadCall(400, "Idempotency-Key (the processor key) is required");
        }
        if (path.equals("/authorizations")) {
            return new Answer(201, authorize(key, body, trace));
        }
        if (path.equals("/refunds")) {
            String refundId = calls.run(TRANSPORT, "refund", key, trace,
                    () -> processor.refund(key, text(body, "charge"), body.path("amount").asLong()));
            return new Answer(201, Json.object().put("id", refundId));
        }
        Matcher action = CHARGE_ACTION.matcher(path);
        action.matches();
        String chargeId = action.group(1);
        if (action.group(2).equals("capture")) {
            calls.run(TRANSPORT, "capture", key, trace, () -> {
                processor.capture(key, chargeId, body.path("amount").asLong());
                return null;
            });
        } else {
            calls.run(TRANSPORT, "cancel", key, trace, () -> {
                processor.cancel(key, chargeId);
                return null;
            });
        }
        return new Answer(200, Json.object().put("id", chargeId));
    }

    private ObjectNode authorize(String key, JsonNode body, String trace) {
        PaymentProcessor.Authorization a = calls.run(TRANSPORT, "authorize", key, trace,
                () -> processor.authorize(key, body.path("reference").asText(null), body.path("amount").asLong(),
                        text(body, "currency"), text(body, "payment_method"), body.path("capture").asBoolean(true)),
                result -> result.approved() ? "approved" : "declined");
        return a.approved()
                ? Json.object().put("id", a.chargeId()).put("status", "approved")
                : Json.object().put("status", "declined").put("decline_code", a.declineCode()).put("message", a.message());
    }

    /** The REST equivalent of the gRPC stream: {@code {"authorizations":[{"idempotency_key",...}]}} in, results in order out. */
    private ObjectNode batch(JsonNode body, String trace) {
        ObjectNode answer = Json.object();
        ArrayNode results = answer.putArray("results");
        for (JsonNode item : body.path("authorizations")) {
            String key = item.path("idempotency_key").asText(null);
            results.add(authorize(key, item, trace));
        }
        return answer;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadCall(400, "'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static JsonNode readBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BadCall(413, "body over " + MAX_BODY_BYTES + " bytes");
            }
            JsonNode body = bytes.length == 0 ? Json.object() : Json.parse(bytes);
            if (!body.isObject()) {
                throw new BadCall(400, "the body must be one JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new BadCall(400, "malformed JSON: " + e.getMessage());
        }
    }

    private static Answer problem(RuntimeException failure) {
        ObjectNode body = Json.object();
        int status;
        String type;
        if (failure instanceof BadCall bad) {
            status = bad.status;
            type = "bad-call";
        } else if (failure instanceof GatewayCalls.Overloaded) {
            status = 429;
            type = "overloaded";
        } else if (failure instanceof DomainException.Unprocessable u) {
            status = 422;
            type = "unprocessable";
            ArrayNode errors = body.putArray("errors");
            u.violations().forEach(v -> errors.addObject().put("pointer", v.pointer()).put("detail", v.message()));
        } else if (failure instanceof ProcessorException p) {
            status = switch (p.kind()) {
                case TIMEOUT -> 504;
                case UNAVAILABLE -> 503;
                case ERROR -> 500;
            };
            type = "processor-" + p.kind().name().toLowerCase(java.util.Locale.ROOT);
        } else {
            status = 500;
            type = "processor-error";
        }
        body.put("type", "/problems/" + type).put("status", status).put("detail", String.valueOf(failure.getMessage()));
        return new Answer(status, body);
    }
}
