package dev.breakwater.http;

/** Applies a filter only to paths under a prefix (e.g. {@code /v1/}); ops endpoints pass straight through. */
public record OnlyUnder(String prefix, Filter filter) implements Filter {

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String path = request.path();
        boolean under = path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
        return under ? filter.filter(request, next) : next.handle(request);
    }
}
