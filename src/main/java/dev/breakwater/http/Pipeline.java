package dev.breakwater.http;

import java.util.List;

/** Composes filters around a handler in the order given: the first filter runs first. */
public final class Pipeline {
    private Pipeline() {
    }

    public static Handler of(List<Filter> filters, Handler handler) {
        Handler current = handler;
        for (int i = filters.size() - 1; i >= 0; i--) {
            current = filters.get(i).around(current);
        }
        return current;
    }
}
