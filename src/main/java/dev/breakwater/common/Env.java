package dev.breakwater.common;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one reader of configuration from the environment: blank means unset, values are
 * stripped, and a bad value fails with a message naming its variable. It remembers every
 * variable it was asked for and the default it was given, so a test can hold the README's
 * configuration table to the code.
 */
public final class Env {
    private final Map<String, String> values;
    private final Map<String, String> defaults = new LinkedHashMap<>();

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Every variable read so far, with its default as text (null when it has none). */
    public Map<String, String> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    public String string(String name, String fallback) {
        defaults.putIfAbsent(name, fallback);
        return raw(name, fallback);
    }

    public int integer(String name, int fallback) {
        defaults.putIfAbsent(name, Integer.toString(fallback));
        String value = raw(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    /** A probability from 0 to 1, 0 when unset. */
    public double rate(String name) {
        defaults.putIfAbsent(name, "0");
        String value = raw(name, null);
        if (value == null) {
            return 0;
        }
        try {
            double rate = Double.parseDouble(value);
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the variable's name
        }
        throw new IllegalArgumentException(name + " must be a probability from 0 to 1, got '" + value + "'");
    }

    /** An absolute URL with a host, given a trailing slash so relative paths resolve under it; null when unset. */
    public URI url(String name) {
        defaults.putIfAbsent(name, null);
        String value = raw(name, null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value.endsWith("/") ? value : value + "/");
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below, with the variable's name
        }
        throw new IllegalArgumentException(name + " must be an absolute URL, got '" + value + "'");
    }

    /** An instant in ISO 8601 UTC form ({@code 2026-12-03T00:00:00Z}). */
    public Instant instant(String name, Instant fallback) {
        defaults.putIfAbsent(name, fallback.toString());
        String value = raw(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO 8601 instant such as 2027-12-31T23:59:59Z, got '"
                    + value + "'");
        }
    }

    private String raw(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
