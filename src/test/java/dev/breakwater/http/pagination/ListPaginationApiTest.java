package dev.breakwater.http.pagination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The list contract through the real server: pages, Link header, filters, and every 400. */
class ListPaginationApiTest {
    private TestApi api;

    @BeforeEach
    void start() {
        api = TestApi.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void walksEveryPaymentNewestFirstFollowingTheLinkHeader() {
        // Given five payments
        List<String> created = IntStream.range(0, 5).mapToObj(i -> api.createPayment(KEY_A, 100 + i, "automatic")).toList();

        // When a client follows Link rel="next" with limit=2
        ApiResponse first = api.get("/v1/payments?limit=2", KEY_A);
        String secondUrl = nextLink(first);
        ApiResponse second = api.get(secondUrl, KEY_A);
        ApiResponse third = api.get(nextLink(second), KEY_A);

        // Then it gets 2 + 2 + 1 rows, newest first, and the last page ends the walk
        assertEquals(created.reversed(), concat(ids(first), ids(second), ids(third)));
        assertEquals("list", first.json().get("object").asText());
        assertTrue(first.json().get("has_more").asBoolean());
        assertEquals("/v1/payments?limit=2&cursor=" + first.json().get("next_cursor").asText(), secondUrl);
        assertFalse(third.json().get("has_more").asBoolean());
        assertTrue(third.json().get("next_cursor").isNull());
        assertNull(third.header("Link"));
        assertEquals("application/json", first.contentType());
    }

    @Test
    void defaultsToTenRowsAndAllowsAHundred() {
        IntStream.range(0, 11).forEach(i -> api.post("/v1/customers", KEY_A, "{}"));

        ApiResponse byDefault = api.get("/v1/customers", KEY_A);
        ApiResponse hundred = api.get("/v1/customers?limit=100", KEY_A);

        assertEquals(10, ids(byDefault).size());
        assertTrue(byDefault.json().get("has_more").asBoolean());
        assertEquals(11, ids(hundred).size());
        assertFalse(hundred.json().get("has_more").asBoolean());
    }

    @Test
    void nextLinkKeepsTheFiltersAndTheCursorWorksWithAnotherLimit() {
        // Given three succeeded and two requires_capture payments
        List<String> succeeded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = api.createPayment(KEY_A, 100 + i, i % 2 == 0 ? "automatic" : "manual");
            if (i % 2 == 0) {
                succeeded.add(id);
            }
        }

        // When the client walks status=succeeded, changing the page size on the way
        ApiResponse first = api.get("/v1/payments?status=succeeded&limit=1", KEY_A);
        String cursor = first.json().get("next_cursor").asText();
        ApiResponse rest = api.get("/v1/payments?status=succeeded&limit=5&cursor=" + cursor, KEY_A);

        // Then the Link carries the filter, and the walk sees exactly the succeeded payments
        assertEquals("</v1/payments?limit=1&status=succeeded&cursor=" + cursor + ">; rel=\"next\"", first.header("Link"));
        assertEquals(succeeded.reversed(), concat(ids(first), ids(rest)));
    }

    @Test
    void rejectsLimitOutsideOneToHundredOrNotANumber() {
        for (String limit : List.of("0", "101", "abc", "-1", "", "1.5")) {
            ApiResponse response = api.get("/v1/payments?limit=" + limit, KEY_A);

            assertProblem(response, "invalid-parameter", "/query/limit must be an integer from 1 to 100");
            JsonNode error = response.json().get("errors").get(0);
            assertEquals("/query/limit", error.get("pointer").asText(), limit);
        }
    }

    @Test
    void rejectsUnknownParametersAndBadFilterValues() {
        assertProblem(api.get("/v1/payments?status=paid", KEY_A), "invalid-parameter",
                "/query/status must be one of canceled, failed, requires_capture, succeeded");
        assertProblem(api.get("/v1/payments?customer=bob", KEY_A), "invalid-parameter", "/query/customer must be a customer id");
        assertProblem(api.get("/v1/refunds?payment=pay_x", KEY_A), "invalid-parameter", "/query/payment must be a payment id");
        assertProblem(api.get("/v1/events?type=payment.exploded", KEY_A), "invalid-parameter", "/query/type must be one of");
        assertProblem(api.get("/v1/payments?starting_after=pay_x", KEY_A), "invalid-parameter",
                "/query/starting_after is not a known parameter; use limit, cursor, customer, status");
        assertProblem(api.get("/v1/customers?status=succeeded", KEY_A), "invalid-parameter",
                "/query/status is not a known parameter; use limit, cursor");
        assertProblem(api.get("/v1/payments?limit=2&limit=3", KEY_A), "invalid-parameter", "/query/limit must be given at most once");
    }

    @Test
    void rejectsTamperedCursor() {
        String cursor = secondPageCursor("/v1/payments?limit=1", KEY_A);
        char last = cursor.charAt(cursor.length() - 2);
        String tampered = cursor.substring(0, cursor.length() - 2) + (last == 'A' ? 'B' : 'A') + cursor.charAt(cursor.length() - 1);

        assertProblem(api.get("/v1/payments?limit=1&cursor=" + tampered, KEY_A), "invalid-cursor",
                "has been modified or was not issued by this API");
        assertProblem(api.get("/v1/payments?limit=1&cursor=" + cursor.substring(0, 20), KEY_A), "invalid-cursor",
                "not one this API issued (wrong length)");
        assertProblem(api.get("/v1/payments?limit=1&cursor=%25%25garbage", KEY_A), "invalid-cursor",
                "not one this API issued");
    }

    @Test
    void rejectsCursorFromAnotherAccountWithoutShowingItsData() {
        // Given account B walking its own payments
        String cursorOfB = secondPageCursor("/v1/payments?limit=1", KEY_B);
        api.createPayment(KEY_A, 100, "automatic");

        // When account A replays B's cursor
        ApiResponse response = api.get("/v1/payments?limit=1&cursor=" + cursorOfB, KEY_A);

        // Then A gets a 400, not B's rows and not its own
        assertProblem(response, "invalid-cursor", "The cursor was issued to a different account");
        assertFalse(response.body().contains("pay_"), response.body());
    }

    @Test
    void rejectsCursorUsedWithOtherFilters() {
        api.createPayment(KEY_A, 100, "manual");
        String cursor = secondPageCursor("/v1/payments?limit=1&status=succeeded", KEY_A);

        assertProblem(api.get("/v1/payments?limit=1&status=requires_capture&cursor=" + cursor, KEY_A), "invalid-cursor",
                "The cursor was issued for different filters than this request's (status=requires_capture)");
        assertProblem(api.get("/v1/payments?limit=1&cursor=" + cursor, KEY_A), "invalid-cursor",
                "The cursor was issued for different filters than this request's (none)");
    }

    @Test
    void rejectsCursorUsedOnAnotherList() {
        String customersCursor = secondPageCursor("/v1/customers?limit=1", KEY_A);

        assertProblem(api.get("/v1/events?limit=1&cursor=" + customersCursor, KEY_A), "invalid-cursor",
                "The cursor was issued for a different list than /v1/events");
    }

    /** Creates two rows of the listed kind for {@code key} and returns the first page's next_cursor. */
    private String secondPageCursor(String firstPageUrl, String key) {
        for (int i = 0; i < 2; i++) {
            if (firstPageUrl.startsWith("/v1/customers")) {
                api.post("/v1/customers", key, "{}");
            } else {
                api.createPayment(key, 100 + i, "automatic");
            }
        }
        ApiResponse first = api.get(firstPageUrl, key);
        assertEquals(200, first.status(), first.toString());
        return first.json().get("next_cursor").asText();
    }

    private static void assertProblem(ApiResponse response, String type, String detailContains) {
        assertEquals(400, response.status(), response.toString());
        assertEquals("/problems/" + type, response.problemType(), response.toString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertTrue(response.json().get("detail").asText().contains(detailContains), response.body());
    }

    private static String nextLink(ApiResponse page) {
        String link = page.header("Link");
        assertTrue(link != null && link.startsWith("<") && link.endsWith(">; rel=\"next\""), String.valueOf(link));
        return link.substring(1, link.indexOf('>'));
    }

    static List<String> ids(ApiResponse page) {
        assertEquals(200, page.status(), page.toString());
        List<String> ids = new ArrayList<>();
        page.json().get("data").forEach(row -> ids.add(row.get("id").asText()));
        return ids;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... pages) {
        List<String> all = new ArrayList<>();
        for (List<String> page : pages) {
            all.addAll(page);
        }
        return all;
    }
}
