package dev.breakwater.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.problem.ProblemType;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provider verification: holds every request/response pair the tests exchange with the real server
 * to openapi/v1.yaml. A response must have a documented status, content type, headers and body
 * schema, and send no header the spec does not document; a request the server accepted (2xx) must be
 * valid per the spec, and a spec-valid request must not be rejected as malformed (400). Requests
 * outside every operation must get the documented 404/405 problem. Used by TestApi on every send.
 */
public final class ProviderVerification {


    /** Set by the HTTP stack, not by the API: the spec does not document them. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-length", "content-type", "date",
            "connection", "keep-alive", "transfer-encoding");

    /** Problem types that say "your request is malformed": a spec-valid request must never get one. */
    private static final Set<String> MALFORMED_REQUEST_TYPES = Set.of(
            ProblemType.INVALID_REQUEST.uri(), ProblemType.INVALID_PARAMETER.uri(), ProblemType.MALFORMED_JSON.uri(),
            ProblemType.IDEMPOTENCY_KEY_MISSING.uri(), ProblemType.IDEMPOTENCY_KEY_INVALID.uri());

    private final Path specFile;
    private final SpecDocument spec;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final OpenAPI model;

    /** One exchange as the client saw it. Header maps are case-insensitive in meaning, any case in keys. */
    public record Exchange(String method, String path, String rawQuery, Map<String, List<String>> requestHeaders,
                           byte[] requestBody, int status, Map<String, List<String>> responseHeaders,
                           String responseBody) {

        String responseHeader(String name) {
            return first(responseHeaders, name);
        }

        String describe() {
            return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " -> " + status;
        }

        /** The exchange of a {@link java.net.http.HttpClient} request and what came back. */
        public static Exchange of(HttpRequest request, int status, HttpHeaders responseHeaders, String responseBody) {
            URI uri = request.uri();
            return new Exchange(request.method(), uri.getRawPath(), uri.getRawQuery(), request.headers().map(),
                    RequestBodies.bytes(request), status, responseHeaders.map(), responseBody);
        }
    }

    /** Thrown (as a test failure) when an exchange breaks the contract. */
    public static final class ContractViolation extends AssertionError {
        ContractViolation(String message) {
            super(message);
        }
    }

    private ProviderVerification(Path specFile) {
        this.specFile = specFile;
        this.spec = SpecDocument.load(specFile);
        String location = specFile.toAbsolutePath().toUri().toString();
        // The server rejects unknown query parameters (a typo must never silently drop a filter), and
        // the spec says so in words; make the validator hold requests to that too.
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(location)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
                        .build())
                .build();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.model = new OpenAPIParser().readLocation(location, null, options).getOpenAPI();
        this.schemas = new SchemaValidator(model, new MessageResolver());
    }

    public static ProviderVerification forSpec(Path specFile) {
        return new ProviderVerification(specFile);
    }

    /** The verifier for openapi/v1.yaml, parsed once per test JVM (it is immutable). */
    public static ProviderVerification v1() {
        return V1.INSTANCE;
    }

    /** The verifier for openapi/v2.yaml, likewise. */
    public static ProviderVerification v2() {
        return V2.INSTANCE;
    }

    /** The contract an exchange on {@code path} is held to: /v2 paths to v2's, everything else to v1's. */
    public static ProviderVerification forPath(String path) {
        return path.startsWith("/v2/") || path.equals("/v2") ? v2() : v1();
    }

    private static final class V1 {
        static final ProviderVerification INSTANCE = forSpec(SpecDocument.SPEC);
    }

    private static final class V2 {
        static final ProviderVerification INSTANCE = forSpec(SpecDocument.V2_SPEC);
    }

    /** Fails with every violation of the exchange, or returns quietly. */
    public void verify(Exchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            throw new ContractViolation("Provider verification against " + specFile + " failed for "
                    + exchange.describe() + ":\n  - " + String.join("\n  - ", violations)
                    + "\n  response headers: " + exchange.responseHeaders()
                    + "\n  response body: " + truncate(exchange.responseBody()));
        }
    }

    public List<String> violations(Exchange exchange) {
        List<String> out = new ArrayList<>();
        SpecDocument.Operation operation = findOperation(exchange.method(), exchange.path());
        if (operation == null) {
            outsideOperations(exchange, out);
        } else {
            response(exchange, operation, out);
            request(exchange, out);
        }
        problemBody(exchange, out);
        return out;
    }

    private void response(Exchange exchange, SpecDocument.Operation operation, List<String> out) {
        SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        ValidationReport report = validator.validateResponse(exchange.path(), method(exchange.method()), response.build());
        errors(report, out, "");
        JsonNode documented = spec.resolve(operation.node().path("responses").path(String.valueOf(exchange.status())));
        if (!documented.isMissingNode()) {
            undocumentedHeaders(exchange, documented, out);
        }
    }

    /** Every header the server sends, other than transport ones, must be documented on that response. */
    private void undocumentedHeaders(Exchange exchange, JsonNode documentedResponse, List<String> out) {
        Set<String> documented = new java.util.HashSet<>();
        SpecDocument.fields(documentedResponse.path("headers"))
                .forEach(h -> documented.add(h.getKey().toLowerCase(Locale.ROOT)));
        for (String name : exchange.responseHeaders().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!TRANSPORT_HEADERS.contains(lower) && !documented.contains(lower)) {
                out.add("response header '" + name + "' is not documented for status " + exchange.status());
            }
        }
    }

    /** What the spec finds wrong with the request alone (empty when it is valid). */
    public List<String> requestViolations(Exchange exchange) {
        ValidationReport report = validator.validateRequest(toRequest(exchange));
        List<String> requestErrors = new ArrayList<>();
        errors(report, requestErrors, "");
        if (exchange.requestBody().length == 0 && first(exchange.requestHeaders(), "Content-Type") == null) {
            // The validator wants a Content-Type even when an optional body is absent; RFC 9110 does not.
            requestErrors.removeIf(e -> e.endsWith("[validation.request.contentType.notAllowed]"));
        }
        SpecDocument.Operation operation = findOperation(exchange.method(), exchange.path());
        boolean declaresQuery = operation != null && spec.parameters(operation).stream()
                .anyMatch(p -> p.path("in").asText().equals("query"));
        if (!declaresQuery || !exchange.path().startsWith("/v1/")) {
            // Only lists reject undeclared query parameters (the spec says so in words); operations
            // without any, and the ops endpoints, ignore a query string.
            requestErrors.removeIf(e -> e.endsWith("[validation.request.parameter.query.unexpected]"));
        }
        if (!exchange.path().startsWith("/v1/")) {
            // ... and answer their one media type whatever Accept says (negotiation is for /v1).
            requestErrors.removeIf(e -> e.endsWith("[validation.request.accept.notAllowed]"));
        }
        if (exchange.requestBody().length > 0 && "application/json".equals(mediaType(first(exchange.requestHeaders(), "Content-Type")))) {
            // The spec's JSON rules that no schema can state (unique names, depth, number length, UTF-8):
            // the validator reads duplicates last-wins and never sees them, the server's strict parser does.
            try {
                Json.parse(exchange.requestBody());
            } catch (IOException e) {
                requestErrors.add("the body breaks the spec's JSON rules (unique member names, depth 32, numbers"
                        + " of at most 64 characters, UTF-8): " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return requestErrors;
    }

    private void request(Exchange exchange, List<String> out) {
        List<String> requestErrors = requestViolations(exchange);
        if (exchange.status() >= 200 && exchange.status() < 300 && !requestErrors.isEmpty()) {
            requestErrors.forEach(e -> out.add("the server accepted (" + exchange.status()
                    + ") a request the spec rejects: " + e));
        }
        if (exchange.status() == 400 && requestErrors.isEmpty()) {
            String type = problemType(exchange);
            if (MALFORMED_REQUEST_TYPES.contains(type)) {
                out.add("the server rejected a request the spec accepts, with " + type);
            }
        }
    }

    /** A request that matches no operation: unknown path -> 404, known path with another method -> 405. */
    private void outsideOperations(Exchange exchange, List<String> out) {
        boolean pathKnown = spec.operations().stream().anyMatch(op -> matches(op.path(), exchange.path()));
        int expected = pathKnown ? 405 : 404;
        String component = pathKnown ? "MethodNotAllowed" : "NotFound";
        if (exchange.status() != expected) {
            out.add("a request outside every documented operation must get " + expected + ", got " + exchange.status());
            return;
        }
        JsonNode documented = spec.pointer("#/components/responses/" + component);
        if (!dev.breakwater.http.Response.PROBLEM_JSON.equals(mediaType(exchange.responseHeader("Content-Type")))) {
            out.add("content type " + exchange.responseHeader("Content-Type") + " is not application/problem+json");
        }
        boolean underV1 = exchange.path().startsWith("/v1/") || exchange.path().equals("/v1");
        for (Map.Entry<String, JsonNode> header : SpecDocument.fields(documented.path("headers"))) {
            boolean rateLimit = header.getKey().startsWith("RateLimit");
            boolean required = spec.resolve(header.getValue()).path("required").asBoolean(false)
                    && (!rateLimit || underV1);
            if (required && exchange.responseHeader(header.getKey()) == null) {
                out.add("header '" + header.getKey() + "' is documented as required on " + component + " but missing");
            }
        }
        undocumentedHeaders(exchange, documented, out);
        ValidationReport report = schemas.validate(exchange.responseBody(),
                model.getComponents().getSchemas().get("Problem"), "response.body");
        errors(report, out, component + " body: ");
    }

    /** Problem bodies agree with their response: same status, same request id, a known type of that status. */
    private static void problemBody(Exchange exchange, List<String> out) {
        if (!dev.breakwater.http.Response.PROBLEM_JSON.equals(mediaType(exchange.responseHeader("Content-Type")))) {
            if (exchange.status() >= 400) {
                out.add("error status " + exchange.status() + " without an application/problem+json body");
            }
            return;
        }
        JsonNode body;
        try {
            body = Json.parse(exchange.responseBody().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.add("problem body is not JSON");
            return;
        }
        if (body.path("status").asInt() != exchange.status()) {
            out.add("problem status " + body.path("status") + " differs from the HTTP status " + exchange.status());
        }
        // A replay is the first response byte for byte, so its request_id names the first request.
        boolean replayed = "true".equals(exchange.responseHeader("Idempotent-Replayed"));
        if (!replayed && !body.path("request_id").asText("").equals(exchange.responseHeader("Request-Id"))) {
            out.add("problem request_id " + body.path("request_id") + " differs from Request-Id "
                    + exchange.responseHeader("Request-Id"));
        }
        String type = body.path("type").asText();
        boolean known = false;
        for (ProblemType problemType : ProblemType.values()) {
            if (problemType.uri().equals(type)) {
                known = true;
                if (problemType.status() != exchange.status()) {
                    out.add("problem type " + type + " is answered with " + exchange.status() + ", not its "
                            + problemType.status());
                }
            }
        }
        if (!known) {
            out.add("problem type " + type + " is not one of the documented types");
        }
    }

    private static void errors(ValidationReport report, List<String> out, String prefix) {
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String nested = message.getNestedMessages().isEmpty() ? ""
                    : " " + message.getNestedMessages().stream().map(ValidationReport.Message::getMessage).toList();
            out.add(prefix + message.getMessage() + nested + " [" + message.getKey() + "]");
        }
    }

    private static SimpleRequest toRequest(Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.path());
        exchange.requestHeaders().forEach(request::withHeader);
        queryParameters(exchange.rawQuery()).forEach(request::withQueryParam);
        if (exchange.requestBody() != null && exchange.requestBody().length > 0) {
            request.withBody(exchange.requestBody());
        }
        return request.build();
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private SpecDocument.Operation findOperation(String method, String path) {
        for (SpecDocument.Operation op : spec.operations()) {
            if (op.method().equalsIgnoreCase(method) && matches(op.path(), path)) {
                return op;
            }
        }
        return null;
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }

    private static Request.Method method(String method) {
        return Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
    }

    private static String problemType(Exchange exchange) {
        try {
            return Json.parse(exchange.responseBody().getBytes(StandardCharsets.UTF_8)).path("type").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    }

    static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    private static String truncate(String body) {
        return body == null || body.length() <= 2000 ? body : body.substring(0, 2000) + "...";
    }
}
