package dev.breakwater.http;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table of (method, path template, traffic class) to handler. Templates are literal segments
 * and {@code {name}} placeholders. An unknown path is a 404; a known path with another method is
 * a 405 carrying {@code Allow}. Registering the same route twice fails at startup.
 * <p>
 * Routing happens in two steps: {@link #resolver()} looks the route up first, so that every
 * later filter (the load shedder's traffic class, the observer's route label) reads it from the
 * request, and the router itself, last in the pipeline, answers the 404/405 or calls the handler.
 */
public final class Router implements Handler {
    private final List<Route> routes = new ArrayList<>();

    public record Route(String method, String template, TrafficClass trafficClass, Handler handler) {
        List<String> segments() {
            return split(template);
        }
    }

    /** A route whose traffic class follows from its method (reads are {@code READ}, the rest {@code WRITE}). */
    public Router add(String method, String template, Handler handler) {
        return add(method, template, TrafficClass.ofMethod(method), handler);
    }

    public Router add(String method, String template, TrafficClass trafficClass, Handler handler) {
        for (Route existing : routes) {
            if (existing.method().equals(method) && sameShape(existing.template(), template)) {
                throw new IllegalStateException("Duplicate route " + method + " " + template);
            }
        }
        routes.add(new Route(method, template, trafficClass, handler));
        return this;
    }

    /** The (method, template) pairs, e.g. for checking the table against the spec. */
    public Set<String> operations() {
        Set<String> out = new LinkedHashSet<>();
        for (Route route : routes) {
            out.add(route.method() + " " + route.template());
        }
        return out;
    }

    /** Finds the route for a request: what the routing filter and the handler both need. */
    public Match match(String method, String path) {
        List<String> segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = bind(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, params);
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No resource at " + truncate(path) + ".");
        }
        throw new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
                method + " is not supported on " + truncate(path) + "; allowed: " + String.join(", ", allowed) + ".",
                List.of(), Map.of(), Map.of("Allow", String.join(", ", allowed)));
    }

    public record Match(Route route, Map<String, String> params) {
    }

    /** First in the pipeline: records on the request which route it is for, or why none is. */
    public Filter resolver() {
        return (request, next) -> {
            try {
                Match match = match(request.method(), request.path());
                request.resolvedTo(match.route(), match.params());
            } catch (ProblemException notFoundOrNotAllowed) {
                request.unrouted(notFoundOrNotAllowed);
            }
            return next.handle(request);
        };
    }

    /** Last in the pipeline: the 404/405 the resolver found, or the route's handler. */
    @Override
    public Response handle(Request request) throws Exception {
        if (request.unrouted() != null) {
            throw request.unrouted();
        }
        Route route = request.route();
        if (route == null) {
            Match match = match(request.method(), request.path()); // no resolver ran (a unit test's pipeline)
            request.resolvedTo(match.route(), match.params());
            route = match.route();
        }
        return route.handler().handle(request);
    }

    private static String truncate(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    private static Map<String, String> bind(List<String> template, List<String> actual) {
        if (template.size() != actual.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String a = actual.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (a.isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), a);
            } else if (!t.equals(a)) {
                return null;
            }
        }
        return params;
    }

    private static boolean sameShape(String a, String b) {
        return a.replaceAll("\\{[^}]*}", "{}").equals(b.replaceAll("\\{[^}]*}", "{}"));
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        int start = 1;
        if (path.isEmpty() || path.charAt(0) != '/') {
            out.add(path);
            return out;
        }
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
