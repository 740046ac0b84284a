package dev.breakwater.http;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.ArrayList;
import java.util.HashMap;
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
    /** The routes in the order added, each template split once: a request splits only its own path. */
    private final List<Compiled> compiled = new ArrayList<>();

    public record Route(String method, String template, TrafficClass trafficClass, Handler handler) {
    }

    /** A route whose traffic class follows from its method (reads are {@code READ}, the rest {@code WRITE}). */
    public Router add(String method, String template, Handler handler) {
        return add(method, template, TrafficClass.ofMethod(method), handler);
    }

    public Router add(String method, String template, TrafficClass trafficClass, Handler handler) {
        for (Compiled existing : compiled) {
            if (existing.route().method().equals(method) && sameShape(existing.route().template(), template)) {
                throw new IllegalStateException("Duplicate route " + method + " " + template);
            }
        }
        compiled.add(Compiled.of(new Route(method, template, trafficClass, handler)));
        return this;
    }

    /** The (method, template) pairs, e.g. for checking the table against the spec. */
    public Set<String> operations() {
        Set<String> out = new LinkedHashSet<>();
        for (Compiled route : compiled) {
            out.add(route.route().method() + " " + route.route().template());
        }
        return out;
    }

    /** Finds the route for a request: what the routing filter and the handler both need. */
    public Match match(String method, String path) {
        String[] segments = split(path);
        Set<String> allowed = null;
        for (Compiled candidate : compiled) {
            if (!candidate.matches(segments)) {
                continue;
            }
            if (candidate.route().method().equals(method)) {
                return new Match(candidate.route(), candidate.params(segments));
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(candidate.route().method());
        }
        if (allowed == null) {
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

    /**
     * A route's template split into segments, with the parameter name at each placeholder's
     * index (null at a literal one).
     */
    private record Compiled(Route route, String[] segments, String[] parameters) {
        static Compiled of(Route route) {
            String[] segments = split(route.template());
            String[] parameters = new String[segments.length];
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    parameters[i] = segment.substring(1, segment.length() - 1);
                }
            }
            return new Compiled(route, segments, parameters);
        }

        /** Literal segments equal, placeholders non-empty. */
        boolean matches(String[] actual) {
            if (actual.length != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                if (parameters[i] == null ? !segments[i].equals(actual[i]) : actual[i].isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        Map<String, String> params(String[] actual) {
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] != null) {
                    params.put(parameters[i], actual[i]);
                }
            }
            return Map.copyOf(params);
        }
    }

    private static boolean sameShape(String a, String b) {
        return a.replaceAll("\\{[^}]*}", "{}").equals(b.replaceAll("\\{[^}]*}", "{}"));
    }

    /** "/v1/payments/pay_1" is [v1, payments, pay_1]; a path not starting with "/" is one segment. */
    private static String[] split(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return new String[]{path};
        }
        int count = 1;
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 1;
        int n = 0;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                out[n++] = path.substring(start, i);
                start = i + 1;
            }
        }
        return out;
    }
}
