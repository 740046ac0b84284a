package dev.breakwater.http;

/** One cross-cutting step around the handler; {@link Pipeline} fixes the order. */
@FunctionalInterface
public interface Filter {
    Response filter(Request request, Handler next) throws Exception;

    default Handler around(Handler next) {
        return request -> filter(request, next);
    }
}
