package dev.breakwater.observability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.support.TestApi;
import dev.breakwater.versions.Lifecycle;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.breakwater.support.TestApi.ACCOUNT_A;
import static dev.breakwater.support.TestApi.ACCOUNT_B;
import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "Who still calls v1" table of /dashboard, read through its JSON endpoint /dashboard/data. */
class DashboardVersionsTest {

    @Test
    void aV1CallIsShownForTheAccountThatMadeItWithTheCountMetricsExposes() {
        try (TestApi api = TestApi.start()) {
            // given: A calls v1 twice, B calls only v2
            api.get("/v1/payments", KEY_A);
            api.get("/v1/customers", KEY_A);
            api.get("/v2/payments", KEY_B);

            // when
            Eventually.await("A's v1 calls and B's v2 call sampled", () -> {
                JsonNode versions = versions(api);
                return calls(versions, ACCOUNT_A).path("recent").path("v1").asLong() == 2
                        && calls(versions, ACCOUNT_B).path("recent").path("v2").asLong() == 1;
            });
            JsonNode versions = versions(api);

            // then: per account and version, the same numbers as breakwater_api_requests_total, A first
            JsonNode a = calls(versions, ACCOUNT_A);
            JsonNode b = calls(versions, ACCOUNT_B);
            PrometheusText metrics = PrometheusText.parse(MetricsEndpointTest.scrape(api).body());
            assertEquals(2, a.path("total").path("v1").asLong());
            assertEquals(0, a.path("recent").path("v2").asLong());
            assertEquals(0, b.path("recent").path("v1").asLong());
            assertEquals(0, b.path("total").path("v1").asLong());
            assertEquals(metrics.sum("breakwater_api_requests_total", "account", ACCOUNT_A, "version", "v1"),
                    a.path("total").path("v1").asDouble());
            assertEquals(metrics.sum("breakwater_api_requests_total", "account", ACCOUNT_B, "version", "v2"),
                    b.path("total").path("v2").asDouble());
            assertEquals(ACCOUNT_A, versions.path("accounts").get(0).path("account").asText(),
                    "accounts still calling v1 come first: " + versions);
            assertTrue(versions.path("since").asLong() <= Instant.now().toEpochMilli(), versions.toString());
        }
    }

    @Test
    void aV2CallAloneShowsNoV1CallForThatAccount() {
        try (TestApi api = TestApi.start()) {
            // given
            api.get("/v2/payments", KEY_A);

            // when: the sample that holds the v2 call is taken
            Eventually.await("A's v2 call sampled",
                    () -> calls(versions(api), ACCOUNT_A).path("recent").path("v2").asLong() == 1);

            // then
            JsonNode a = calls(versions(api), ACCOUNT_A);
            assertEquals(0, a.path("recent").path("v1").asLong(), a.toString());
            assertEquals(0, a.path("total").path("v1").asLong(), a.toString());
        }
    }

    @Test
    void theConfiguredSunsetIsShownWithTheTable() {
        Lifecycle lifecycle = new Lifecycle(Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2030-01-31T12:00:00Z"));
        try (TestApi api = TestApi.start(c -> c.withV1Lifecycle(lifecycle))) {
            JsonNode sunset = versions(api).path("sunset");

            assertEquals("v1", sunset.path("version").asText(), sunset.toString());
            assertEquals("v2", sunset.path("successor").asText(), sunset.toString());
            assertEquals("2026-06-01T00:00:00Z", sunset.path("deprecated_at").asText());
            assertEquals("2030-01-31T12:00:00Z", sunset.path("sunset_at").asText());
        }
    }

    @Test
    void noSunsetIsShownWhenV1IsNotDeprecated() {
        try (TestApi api = TestApi.start(c -> c.withV1Lifecycle(null))) {
            assertTrue(versions(api).path("sunset").isNull(), versions(api).toString());
        }
    }

    private static JsonNode versions(TestApi api) {
        return api.send(api.request("/dashboard/data").GET().build()).json().path("api_versions");
    }

    private static JsonNode calls(JsonNode versions, String account) {
        for (JsonNode row : versions.path("accounts")) {
            if (row.path("account").asText().equals(account)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + account + " in " + versions);
    }
}
