package dev.breakwater.versions;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The live API versions. Every feature route is registered once per version, pointing at the
 * same handler; {@link #V1} is the canonical form: handlers parse and render it, cursors and
 * idempotency fingerprints bind to its paths, and every other version is a transform of it.
 */
public enum ApiVersion {
    V1("/v1"),
    V2("/v2");

    private final String prefix;
    private final String label;

    ApiVersion(String prefix) {
        this.prefix = prefix;
        this.label = prefix.substring(1);
    }

    /** {@code /v1}: what every path of this version starts with. */
    public String prefix() {
        return prefix;
    }

    /** {@code v1}: the metric label. */
    public String label() {
        return label;
    }

    /** The version a request path belongs to; empty for the ops endpoints. */
    public static Optional<ApiVersion> of(String path) {
        for (ApiVersion version : values()) {
            if (path.startsWith(version.prefix) && (path.length() == version.prefix.length()
                    || path.charAt(version.prefix.length()) == '/')) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** The same resource's path in the canonical version, e.g. {@code /v2/payments} to {@code /v1/payments}. */
    public static String canonicalPath(String path) {
        return of(path).filter(version -> version != V1)
                .map(version -> V1.prefix + path.substring(version.prefix.length()))
                .orElse(path);
    }

    /** {@code /v1/} and {@code /v2/}: the prefixes the account guards apply under. */
    public static List<String> pathPrefixes() {
        return Arrays.stream(values()).map(version -> version.prefix + "/").toList();
    }
}
