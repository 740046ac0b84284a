package dev.breakwater.versions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * When a version was (or will be) deprecated and when it is retired. Sunset must not be earlier
 * than Deprecation (RFC 8594 section 3), so a schedule that says otherwise fails at startup.
 * The header values are rendered once: every response of the version carries them.
 *
 * @param deprecatedAt the {@code Deprecation} date (RFC 9745), a Structured Field Date {@code @<epoch>}
 * @param sunsetAt     the {@code Sunset} date (RFC 8594), an IMF-fixdate; from then on the version answers 410
 */
public record Lifecycle(Instant deprecatedAt, Instant sunsetAt) {
    /** Where the deprecation and sunset links point: the policy and migration guide the server serves. */
    static final String GUIDE = "/docs/versioning";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    public Lifecycle {
        if (sunsetAt.isBefore(deprecatedAt)) {
            throw new IllegalArgumentException("BREAKWATER_V1_SUNSET_AT (" + sunsetAt
                    + ") must not be earlier than BREAKWATER_V1_DEPRECATED_AT (" + deprecatedAt + ")");
        }
    }

    /** {@code @1796256000}: RFC 9745's Structured Field Date, whole seconds since the epoch. */
    String deprecationHeader() {
        return "@" + deprecatedAt.getEpochSecond();
    }

    /** {@code Fri, 31 Dec 2027 23:59:59 GMT}: an IMF-fixdate, as RFC 9110 section 5.6.7 defines it. */
    String sunsetHeader() {
        return IMF_FIXDATE.format(sunsetAt);
    }

    /** The policy and migration links every response of the version carries (RFC 9745 section 3, RFC 8594 section 4). */
    String linkHeader() {
        return "<" + GUIDE + "#migrating-from-v1-to-v2>; rel=\"deprecation\"; type=\"text/markdown\", <"
                + GUIDE + "#sunset-policy>; rel=\"sunset\"; type=\"text/markdown\"";
    }
}
