package dev.breakwater.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Makes the server's own links ({@code Link: <...>; rel="next"} and {@code Location}) absolute
 * under the configured public base URL, for clients behind a proxy or gateway that would resolve
 * a relative reference against the wrong origin. Without one (the default) links stay relative,
 * which RFC 8288 and RFC 9110 both allow. Runs outermost, so replays get the same treatment.
 */
public final class PublicLinks implements Filter {
    private final String base;

    /** @param baseUrl an absolute http(s) URL without query or fragment, or null for relative links */
    public PublicLinks(URI baseUrl) {
        this.base = baseUrl == null ? null : stripSlash(baseUrl.toString());
    }

    /**
     * Parses {@code BREAKWATER_PUBLIC_BASE_URL}: blank means none; anything but an absolute
     * http(s) URL without query, fragment or user info fails startup with a message saying so.
     */
    public static URI parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(value, "not an absolute http(s) URL without query, fragment or user info");
            }
            return URI.create(stripSlash(uri.toString()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL such as https://api.example.com"
                    + " (no query, fragment or user info), got '" + value + "'");
        }
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        Response response = next.handle(request);
        if (base == null) {
            return response;
        }
        String link = response.header("Link");
        if (link != null && link.startsWith("</")) {
            response = response.withHeader("Link", "<" + base + link.substring(1));
        }
        String location = response.header("Location");
        if (location != null && location.startsWith("/")) {
            response = response.withHeader("Location", base + location);
        }
        return response;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
