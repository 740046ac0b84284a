package dev.breakwater.http;

import dev.breakwater.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete, immutable response: status, headers and body bytes, and for a problem its
 * {@code type} URI, so that logs and metrics label it without parsing the body again.
 */
public record Response(int status, Map<String, String> headers, byte[] body, String problemType) {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public Response {
        headers = Map.copyOf(headers);
    }

    public Response(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, null);
    }

    public static Response json(int status, Object value) {
        return new Response(status, Map.of("Content-Type", JSON), Json.write(value));
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    public Response withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Response(status, copy, body, problemType);
    }

    public Response withHeaders(Map<String, String> extra) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.putAll(extra);
        return new Response(status, copy, body, problemType);
    }

    public String header(String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
