package dev.breakwater.http;

import dev.breakwater.AppConfig;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.breakwater.support.TestApi.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BREAKWATER_PUBLIC_BASE_URL: absolute links for clients behind a proxy; relative links by default. */
class PublicBaseUrlTest {
    private static final Pattern NEXT = Pattern.compile("^<([^>]+)>; rel=\"next\"$");

    @Test
    void linksAreRelativeByDefault() {
        try (TestApi api = TestApi.start()) {
            ApiResponse created = api.post("/v1/customers", KEY_A, "{}");
            api.post("/v1/customers", KEY_A, "{}");

            ApiResponse page = api.get("/v1/customers?limit=1", KEY_A);

            assertTrue(created.header("Location").startsWith("/v1/customers/cus_"), created.toString());
            Matcher next = NEXT.matcher(page.header("Link"));
            assertTrue(next.matches() && next.group(1).startsWith("/v1/customers?limit=1&cursor="), page.header("Link"));
        }
    }

    @Test
    void configuredBaseUrlMakesLinkAndLocationAbsoluteAndTheNextLinkStillWorks() {
        try (TestApi api = TestApi.start(c -> c.withPublicBaseUrl(URI.create("https://api.example.com")))) {
            // given two customers, the first created with a key we retry
            ApiResponse first = api.post("/v1/customers", KEY_A, "public-base-1", "{}");
            api.post("/v1/customers", KEY_A, "{}");

            // when a page of one is read, and the first create is replayed
            ApiResponse page = api.get("/v1/customers?limit=1", KEY_A);
            ApiResponse replay = api.post("/v1/customers", KEY_A, "public-base-1", "{}");

            // then Location and Link are absolute under the public base, on the replay as well
            String id = first.json().get("id").asText();
            assertEquals("https://api.example.com/v1/customers/" + id, first.header("Location"));
            assertEquals("true", replay.header("Idempotent-Replayed"));
            assertEquals("https://api.example.com/v1/customers/" + id, replay.header("Location"));
            Matcher next = NEXT.matcher(page.header("Link"));
            assertTrue(next.matches(), page.header("Link"));
            URI link = URI.create(next.group(1));
            assertEquals("https", link.getScheme());
            assertEquals("api.example.com", link.getHost());

            // and the link's path and query, sent to this server, give the next page
            ApiResponse second = api.get(link.getRawPath() + "?" + link.getRawQuery(), KEY_A);
            assertEquals(200, second.status(), second.toString());
            assertEquals(id, second.json().get("data").get(0).get("id").asText());
            assertNull(second.header("Link"), "two customers, two pages");
        }
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsItAndATrailingSlashIsDropped() {
        try (TestApi api = TestApi.start(c -> c.withPublicBaseUrl(
                PublicLinks.parse("BREAKWATER_PUBLIC_BASE_URL", "https://gw.example.com/payments/")))) {
            ApiResponse created = api.post("/v1/customers", KEY_A, "{}");

            assertEquals("https://gw.example.com/payments/v1/customers/" + created.json().get("id").asText(),
                    created.header("Location"));
        }
    }

    @Test
    void aBaseUrlThatIsNotAnAbsoluteHttpUrlFailsStartupNamingTheVariable() {
        for (String bad : new String[] {"api.example.com", "ftp://api.example.com", "https://api.example.com/?a=1",
                "https://user@api.example.com", "https://api.example.com/#x", "/relative"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AppConfig.fromEnv(Map.of("BREAKWATER_PUBLIC_BASE_URL", bad)), bad);
            assertTrue(e.getMessage().startsWith("BREAKWATER_PUBLIC_BASE_URL must be an absolute http(s) URL"), e.getMessage());
        }
        assertNull(AppConfig.fromEnv(Map.of()).publicBaseUrl());
    }
}
