package dev.breakwater.events;

import dev.breakwater.http.Response;
import dev.breakwater.http.Request;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.store.Database;

import java.util.List;

/** {@code GET /v1/events} and {@code GET /v1/events/{id}}. */
public record EventHandlers(Database database, Events events, CursorCodec cursors) {
    private static final List<ListQuery.FilterSpec> FILTERS = List.of(
            new ListQuery.FilterSpec("type", Event.TYPES::contains, "must be one of " + String.join(", ", Event.TYPES.stream().sorted().toList())));

    public Response get(Request request) {
        Event event = database.read(c -> events.get(c, request.accountId(), request.pathParam("id")));
        return Response.json(200, event);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, FILTERS);
        List<Event> rows = database.read(c -> events.list(c, request.accountId(), query.filter("type"), query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Event::seq, cursors);
    }
}
