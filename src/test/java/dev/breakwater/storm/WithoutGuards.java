package dev.breakwater.storm;

import com.sun.net.httpserver.Headers;
import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.OnlyUnder;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.IdempotencyKeyHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The retry-storm "before" wiring: the same App as production, rewired through the
 * {@code App.Seams.filters} seam so that it runs WITHOUT its guards. It exists only in test code;
 * the shipped binary has no switch for it.
 * <ul>
 * <li>Every rate and concurrency limiter is removed: any filter whose class lives in one of
 *     {@link #GUARD_PACKAGES} (looking inside {@link OnlyUnder} wrappers).</li>
 * <li>Idempotency enforcement is defeated by a filter in front of everything that gives each
 *     request's Idempotency-Key a fresh random suffix ({@code <client key>/<uuid>}): every retry
 *     then executes as a new request, exactly like a server without idempotency. The client's key
 *     stays readable as the prefix, so the verifier can still say which order a charge was for.</li>
 * </ul>
 */
public final class WithoutGuards implements UnaryOperator<List<Filter>> {
    /** Packages whose filters are rate, concurrency or load guards. */
    public static final Set<String> GUARD_PACKAGES = Set.of("dev.breakwater.http.ratelimit");
    /** Separates the client's key from the suffix that makes every attempt unique. */
    public static final char ATTEMPT_SEPARATOR = '/';

    @Override
    public List<Filter> apply(List<Filter> production) {
        List<Filter> filters = new ArrayList<>();
        filters.add(new ForgetIdempotencyKeys());
        for (Filter filter : production) {
            if (!isGuard(filter)) {
                filters.add(filter);
            }
        }
        return List.copyOf(filters);
    }

    public static boolean isGuard(Filter filter) {
        Filter inner = filter instanceof OnlyUnder under ? under.filter() : filter;
        if (inner instanceof OnlyUnder) {
            return isGuard(inner);
        }
        return GUARD_PACKAGES.contains(inner.getClass().getPackageName());
    }

    /** The order (client key) an Idempotency-Key stored by either wiring belongs to. */
    public static String clientKey(String storedKey) {
        int separator = storedKey.indexOf(ATTEMPT_SEPARATOR);
        return separator < 0 ? storedKey : storedKey.substring(0, separator);
    }

    /** Makes every attempt's Idempotency-Key unique, so a retry is never recognised as one. */
    static final class ForgetIdempotencyKeys implements Filter {
        @Override
        public Response filter(Request request, Handler next) throws Exception {
            List<String> keys = request.headerValues(IdempotencyKeyHeader.NAME);
            if (keys.size() != 1) {
                return next.handle(request);
            }
            String unique = IdempotencyKeyHeader.parse(keys) + ATTEMPT_SEPARATOR + UUID.randomUUID();
            Request rewritten = new Request(request.requestId(), request.method(), request.path(), request.rawQuery(),
                    new KeyReplaced(request, unique), request.body(), request.remoteAddress(), request.startNanos());
            try {
                return next.handle(rewritten);
            } finally {
                // The access log, metrics and JFR hooks hold the original request: tell it what the rest learned.
                if (rewritten.accountId() != null) {
                    request.authenticatedAs(rewritten.accountId());
                }
                if (rewritten.routeTemplate() != null) {
                    request.routedTo(rewritten.routeTemplate(), Map.of());
                }
                rewritten.notes().forEach(request::note);
            }
        }
    }

    /** The original request's headers as {@link Request} reads them, with one Idempotency-Key swapped in. */
    private static final class KeyReplaced extends Headers {
        private final Request original;
        private final List<String> key;

        KeyReplaced(Request original, String key) {
            this.original = original;
            this.key = List.of(key);
        }

        @Override
        public List<String> get(Object name) {
            if (!(name instanceof String header)) {
                return null;
            }
            if (header.equalsIgnoreCase(IdempotencyKeyHeader.NAME)) {
                return key;
            }
            List<String> values = original.headerValues(header);
            return values.isEmpty() ? null : values;
        }

        @Override
        public String getFirst(String name) {
            List<String> values = get(name);
            return values == null ? null : values.get(0);
        }

        @Override
        public boolean containsKey(Object name) {
            return get(name) != null;
        }
    }
}
