package dev.breakwater.customers;

import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
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
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The customers endpoints: create (idempotent), get, list, and PATCH with optional
 * {@code If-Match}; each parses a command, runs it against {@link Customer}, renders the result.
 */
public record CustomerHandlers(Database database, Customers customers, Events events, Idempotency idempotency,
                               CursorCodec cursors, Clock clock) {
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
    static final String EMAIL_HINT = "must be an email address like jenny@example.com";

    private record NewCustomer(String email, String name, String description, Map<String, String> metadata) {
    }

    public Response create(Request request) throws Exception {
        Body body = Body.of(request);
        NewCustomer command = new NewCustomer(body.optionalString("email", 512, EMAIL, EMAIL_HINT).orElse(null),
                body.optionalString("name", 256, null, null).orElse(null),
                body.optionalString("description", 1000, null, null).orElse(null),
                body.optionalMetadata().orElse(Map.of()));
        body.finish();
        return idempotency.execute(request, call -> database.write(c -> {
            long now = clock.instant().getEpochSecond();
            Customer customer = customers.insert(c, request.accountId(),
                    Customer.create(now, command.email(), command.name(), command.description(), command.metadata()));
            events.append(c, request.accountId(), now, "customer.created", customer);
            return call.complete(c, render(201, customer).withHeader("Location", "/v1/customers/" + customer.id()));
        }));
    }

    public Response get(Request request) {
        return render(200, database.read(c -> customers.get(c, request.accountId(), request.pathParam("id"), false)));
    }

    public Response update(Request request) {
        Body body = Body.of(request);
        Customer.Patch change = new Customer.Patch(body.patchString("email", 512, EMAIL, EMAIL_HINT)::orElse,
                body.patchString("name", 256, null, null)::orElse,
                body.patchString("description", 1000, null, null)::orElse,
                body.optionalMetadata());
        body.finish();
        Optional<String> ifMatch = Optional.ofNullable(request.header("If-Match"));
        Customer updated = database.write(c -> {
            Customer current = customers.get(c, request.accountId(), request.pathParam("id"), true);
            Customer changed = customers.update(c, request.accountId(), current.patch(ifMatch, change));
            events.append(c, request.accountId(), clock.instant().getEpochSecond(), "customer.updated", changed);
            return changed;
        });
        return render(200, updated);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, List.of());
        List<Customer> rows = database.read(c -> customers.list(c, request.accountId(), query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Customer::seq, cursors);
    }

    private static Response render(int status, Customer customer) {
        return Response.json(status, customer).withHeader("ETag", customer.etag());
    }
}
