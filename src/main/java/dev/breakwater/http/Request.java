package dev.breakwater.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.breakwater.http.problem.ProblemException;

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
    private volatile Router.Route route;
    private volatile ProblemException unrouted;
    private volatile String routeTemplate;
    private volatile Map<String, String> pathParams = Map.of();
    private volatile String canonicalPath;
    private volatile ObjectNode json;
    private volatile String idempotencyKey;
    private volatile String fingerprint;
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

    /** The matched route template (e.g. {@code /v1/payments/{id}}), for metrics and logs; null when none matched. */
    public String routeTemplate() {
        return routeTemplate;
    }

    /** The route the router resolved this request to; null before resolution or when none matched. */
    public Router.Route route() {
        return route;
    }

    /** The 404/405 the resolver found for this request, if it found no route. */
    ProblemException unrouted() {
        return unrouted;
    }

    /** The matched route's traffic class, or the method's when no route matched. */
    public TrafficClass trafficClass() {
        Router.Route matched = route;
        return matched == null ? TrafficClass.ofMethod(method) : matched.trafficClass();
    }

    void resolvedTo(Router.Route matched, Map<String, String> params) {
        this.route = matched;
        routedTo(matched.template(), params);
    }

    void unrouted(ProblemException notFoundOrNotAllowed) {
        this.unrouted = notFoundOrNotAllowed;
    }

    /** Records the route template and path parameters (the resolver does; tests and test wirings may). */
    public void routedTo(String template, Map<String, String> params) {
        this.routeTemplate = template;
        this.pathParams = Map.copyOf(params);
    }

    /**
     * The path in the API's canonical version (the same as {@link #path()} unless a version edge
     * said otherwise): cursors and idempotency fingerprints bind to it, so they hold across versions.
     */
    public String canonicalPath() {
        String canonical = canonicalPath;
        return canonical == null ? path : canonical;
    }

    public void canonicalizedAs(String path) {
        this.canonicalPath = path;
    }

    /** A version edge's canonical form of the body, read from now on instead of the bytes. */
    public void replaceJson(ObjectNode canonical) {
        this.json = canonical;
    }

    /** The body as a JSON object, parsed once however many steps read it; an empty body reads as {@code {}}. */
    public ObjectNode json() {
        ObjectNode parsed = json;
        if (parsed == null) {
            parsed = Body.parseObject(body);
            json = parsed;
        }
        return parsed;
    }

    /** The parsed Idempotency-Key, set by the idempotency step after routing; null on other requests. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** What identifies this request for its Idempotency-Key: method, path and canonical body. */
    public String fingerprint() {
        return fingerprint;
    }

    public void keyed(String key, String requestFingerprint) {
        this.idempotencyKey = key;
        this.fingerprint = requestFingerprint;
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
