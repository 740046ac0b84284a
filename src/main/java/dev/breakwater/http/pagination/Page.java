package dev.breakwater.http.pagination;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Builds a list response from up to {@code limit + 1} rows fetched newest first: the extra row
 * only tells whether there is more. Adds {@code next_cursor} and an RFC 8288 {@code Link} header.
 */
public final class Page {
    private Page() {
    }

    public static <T> Response of(Request request, ListQuery query, List<T> rowsPlusOne, ToLongFunction<T> position,
                                  CursorCodec cursors) {
        boolean hasMore = rowsPlusOne.size() > query.limit();
        List<T> data = hasMore ? rowsPlusOne.subList(0, query.limit()) : rowsPlusOne;
        String next = hasMore
                ? cursors.encode(position.applyAsLong(data.get(data.size() - 1)), query.scope(request))
                : null;
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode array = body.putArray("data");
        data.forEach(item -> array.add(Json.MAPPER.valueToTree(item)));
        body.put("has_more", hasMore);
        body.put("next_cursor", next);
        Response response = Response.json(200, body);
        if (next != null) {
            response = response.withHeader("Link", "<" + nextUrl(request.path(), query, next) + ">; rel=\"next\"");
        }
        return response;
    }

    private static String nextUrl(String path, ListQuery query, String cursor) {
        StringBuilder url = new StringBuilder(path).append("?limit=").append(query.limit());
        query.filters().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e ->
                url.append('&').append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
        return url.append("&cursor=").append(cursor).toString();
    }
}
