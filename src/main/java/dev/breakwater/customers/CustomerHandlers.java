package dev.breakwater.customers;

import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
import dev.breakwater.common.Json;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.store.Database;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The customers endpoints: create (idempotent), get, list, and PATCH with optional {@code If-Match}. */
public final class CustomerHandlers {
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    static final String EMAIL_HINT = "must be an email address like jenny@example.com";

    private final Database database;
    private final Customers customers;
    private final Events events;
    private final Idempotency idempotency;
    private final CursorCodec cursors;
    private final Clock clock;

    public CustomerHandlers(Database database, Customers customers, Events events, Idempotency idempotency,
                            CursorCodec cursors, Clock clock) {
        this.database = database;
        this.customers = customers;
        this.events = events;
        this.idempotency = idempotency;
        this.cursors = cursors;
        this.clock = clock;
    }

    public Response create(Request request) throws Exception {
        Body body = Body.of(request);
        String email = body.optionalString("email", 512, EMAIL, EMAIL_HINT).orElse(null);
        String name = body.optionalString("name", 256, null, null).orElse(null);
        String description = body.optionalString("description", 1000, null, null).orElse(null);
        Map<String, String> metadata = body.optionalMetadata().orElse(Map.of());
        body.finish();
        return idempotency.execute(request, Json.canonical(body.json()), call -> database.write(c -> {
            long now = clock.instant().getEpochSecond();
            Customer customer = customers.insert(c, request.accountId(), Ids.next(Ids.CUSTOMER), now, email, name,
                    description, metadata);
            events.append(c, request.accountId(), now, "customer.created", customer);
            Response response = Response.json(201, customer)
                    .withHeader("Location", "/v1/customers/" + customer.id())
                    .withHeader("ETag", customer.etag());
            return call.complete(c, response);
        }));
    }

    public Response get(Request request) {
        Customer customer = database.read(c -> customers.get(c, request.accountId(), request.pathParam("id"), false));
        return Response.json(200, customer).withHeader("ETag", customer.etag());
    }

    public Response update(Request request) {
        Body body = Body.of(request);
        Body.Patch<String> email = body.patchString("email", 512, EMAIL, EMAIL_HINT);
        Body.Patch<String> name = body.patchString("name", 256, null, null);
        Body.Patch<String> description = body.patchString("description", 1000, null, null);
        var metadata = body.optionalMetadata();
        body.finish();
        String ifMatch = request.header("If-Match");
        Customer updated = database.write(c -> {
            Customer current = customers.get(c, request.accountId(), request.pathParam("id"), true);
            if (ifMatch != null && !matches(ifMatch, current.etag())) {
                throw new DomainException.PreconditionFailed("If-Match " + ifMatch + " does not match the current ETag "
                        + current.etag() + "; GET the customer again and reapply your change.");
            }
            Customer changed = customers.update(c, new Customer(current.id(), current.created(),
                    email.orElse(current.email()), name.orElse(current.name()), description.orElse(current.description()),
                    metadata.orElse(current.metadata()), current.version(), current.seq()));
            events.append(c, request.accountId(), clock.instant().getEpochSecond(), "customer.updated", changed);
            return changed;
        });
        return Response.json(200, updated).withHeader("ETag", updated.etag());
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, List.of());
        List<Customer> rows = database.read(c -> customers.list(c, request.accountId(), query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Customer::seq, cursors);
    }

    /** RFC 9110 If-Match: {@code *} or a list of entity tags, compared strongly (weak tags never match). */
    static boolean matches(String ifMatch, String etag) {
        String trimmed = ifMatch.strip();
        if (trimmed.equals("*")) {
            return true;
        }
        for (String candidate : trimmed.split(",")) {
            if (candidate.strip().equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
