package dev.breakwater.http.pagination;

import dev.breakwater.http.Request;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The parsed parameters of a list request: {@code limit} (1-100, default 10), an optional
 * {@code cursor}, and the endpoint's filters. Unknown or repeated parameters are a 400, so a
 * typo never silently returns unfiltered data.
 */
public record ListQuery(int limit, Long before, Map<String, String> filters) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    /** A filter parameter this endpoint accepts, with its validity check and a hint for the 400. */
    public record FilterSpec(String name, Predicate<String> valid, String hint) {
    }

    public static ListQuery parse(Request request, CursorCodec cursors, List<FilterSpec> allowedFilters) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, FilterSpec> specs = new LinkedHashMap<>();
        allowedFilters.forEach(spec -> specs.put(spec.name(), spec));
        Set<String> reserved = Set.of("limit", "cursor");
        Map<String, String> filters = new TreeMap<>();
        int limit = DEFAULT_LIMIT;
        String cursor = null;
        for (Map.Entry<String, List<String>> param : request.query().entrySet()) {
            String name = param.getKey();
            String pointer = "/query/" + name;
            if (param.getValue().size() > 1) {
                errors.add(new FieldError(pointer, "must be given at most once"));
                continue;
            }
            String value = param.getValue().get(0);
            if (name.equals("limit")) {
                Integer parsed = parseLimit(value);
                if (parsed == null) {
                    errors.add(new FieldError(pointer, "must be an integer from 1 to " + MAX_LIMIT));
                } else {
                    limit = parsed;
                }
            } else if (name.equals("cursor")) {
                cursor = value;
            } else if (specs.containsKey(name) && !reserved.contains(name)) {
                FilterSpec spec = specs.get(name);
                if (spec.valid().test(value)) {
                    filters.put(name, value);
                } else {
                    errors.add(new FieldError(pointer, spec.hint()));
                }
            } else {
                String known = String.join(", ", specs.keySet());
                errors.add(new FieldError(pointer, "is not a known parameter; use limit, cursor"
                        + (known.isEmpty() ? "" : ", " + known)));
            }
        }
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? errors.get(0).pointer() + " " + errors.get(0).detail()
                    : errors.size() + " query parameters are invalid; see errors";
            throw new ProblemException(ProblemType.INVALID_PARAMETER, detail, errors, Map.of(), Map.of());
        }
        ListQuery withoutCursor = new ListQuery(limit, null, Map.copyOf(filters));
        return cursor == null ? withoutCursor
                : new ListQuery(limit, cursors.decode(cursor, withoutCursor.scope(request)), withoutCursor.filters());
    }

    private static Integer parseLimit(String value) {
        if (value.isEmpty() || value.length() > 3 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int parsed = Integer.parseInt(value);
        return parsed >= 1 && parsed <= MAX_LIMIT ? parsed : null;
    }

    public String filter(String name) {
        return filters.get(name);
    }

    /**
     * What a cursor for this query is bound to: the account, the list's canonical path (the same
     * list in every API version, so a cursor minted by /v1 continues on /v2) and the filters as
     * one stable string (sorted by name, values URL-encoded so no two filter sets collide).
     * {@code limit} is deliberately not part of it: a client may change the page size mid-walk.
     */
    public CursorCodec.Scope scope(Request request) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(filters).forEach((name, value) -> {
            if (!canonical.isEmpty()) {
                canonical.append('&');
            }
            canonical.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return new CursorCodec.Scope(request.accountId(), request.canonicalPath(), canonical.toString());
    }
}
