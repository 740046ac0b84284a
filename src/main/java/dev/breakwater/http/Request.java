package dev.breakwater.http;

import com.sun.net.httpserver.Headers;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP request. The body is read (bounded) before any filter runs, so every filter
 * and handler sees complete bytes and the connection is always drained. Filters record what
 * they learned (account, matched route) on the request for the ones after them.
 */
public final class Request {
    private final String requestId;
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final Headers headers;
    private final byte[] body;
    private final InetSocketAddress remoteAddress;
    private final long startNanos;
    private volatile String accountId;
    private volatile String routeTemplate;
    private volatile Map<String, String> pathParams = Map.of();
    private final Map<String, String> logFields = new LinkedHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    public Request(String requestId, String method, String path, String rawQuery, Headers headers,
                   byte[] body, InetSocketAddress remoteAddress, long startNanos) {
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.query = QueryString.parse(rawQuery);
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.startNanos = startNanos;
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public Map<String, List<String>> query() {
        return query;
    }

    public String header(String name) {
        return headers.getFirst(name);
    }

    public List<String> headerValues(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }

    public byte[] body() {
        return body;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The authenticated account; null before authentication and on ops endpoints. */
    public String accountId() {
        return accountId;
    }

    public void authenticatedAs(String accountId) {
        this.accountId = accountId;
    }

    /** The matched route template (e.g. {@code /v1/payments/{id}}), for metrics and logs. */
    public String routeTemplate() {
        return routeTemplate;
    }

    public void routedTo(String template, Map<String, String> params) {
        this.routeTemplate = template;
        this.pathParams = Map.copyOf(params);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Facts a filter wants in the access log line (idempotency outcome, rate-limit outcome...). */
    public void note(String field, String value) {
        synchronized (logFields) {
            logFields.put(field, value);
        }
    }

    public Map<String, String> notes() {
        synchronized (logFields) {
            return Map.copyOf(logFields);
        }
    }

    /**
     * Adds a header the response will carry however the request ends: success, problem or an
     * unexpected failure (filters such as the rate limiter need that). Adding a second value
     * for the same name appends it with {@code ", "}, as RFC 9110 section 5.3 combines field
     * lines, so use it only for list-based fields.
     */
    public void addResponseHeader(String name, String value) {
        synchronized (responseHeaders) {
            responseHeaders.merge(name, value, (earlier, later) -> earlier + ", " + later);
        }
    }

    public Map<String, String> responseHeaders() {
        synchronized (responseHeaders) {
            return responseHeaders.isEmpty() ? Map.of() : Map.copyOf(responseHeaders);
        }
    }
}
