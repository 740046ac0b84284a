package dev.breakwater.http;

import java.util.List;

/** Applies a filter only to paths under its prefixes (e.g. {@code /v1/} and {@code /v2/}); ops endpoints pass straight through. */
public record OnlyUnder(List<String> prefixes, Filter filter) implements Filter {

    public OnlyUnder {
        prefixes = List.copyOf(prefixes);
    }

    public OnlyUnder(String prefix, Filter filter) {
        this(List.of(prefix), filter);
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String path = request.path();
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) {
                return filter.filter(request, next);
            }
        }
        return next.handle(request);
    }
}
