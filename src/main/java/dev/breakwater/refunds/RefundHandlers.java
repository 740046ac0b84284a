package dev.breakwater.refunds;

import dev.breakwater.domain.Currencies;
import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.domain.Money;
import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.idempotency.IdempotentCall;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.payments.PaymentId;
import dev.breakwater.payments.Payments;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.store.Database;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The refund endpoints. Creating a refund runs in two transactions around the processor call:
 * first the refund is reserved (the payment's own {@code refund(amount)} rule, applied under its
 * row lock, so concurrent refunds can never exceed the captured amount) together with a pending
 * refund and its recovery point; then, after the processor confirms, it is marked succeeded
 * together with the idempotency record.
 */
public record RefundHandlers(Database database, Payments payments, Events events, PaymentProcessor processor,
                             Idempotency idempotency, CursorCodec cursors, Clock clock) {
    private static final Refunds REFUNDS = new Refunds();
    static final String REFUND_RESERVED = "refund_reserved";
    private static final Set<String> REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");
    private static final List<ListQuery.FilterSpec> FILTERS = List.of(
            new ListQuery.FilterSpec("payment", v -> Ids.matches(Ids.PAYMENT, v), "must be a payment id (pay_...)"));

    private record NewRefund(PaymentId payment, Optional<Long> amount, Optional<String> currency, String reason,
                             Map<String, String> metadata) {
    }

    public Response create(Request request) throws Exception {
        NewRefund command = parseNew(Body.of(request));
        return idempotency.execute(request, call -> refund(request.accountId(), command, call));
    }

    private static NewRefund parseNew(Body body) {
        String payment = body.requiredString("payment", 64, Ids.pattern(Ids.PAYMENT), "must be a payment id (pay_...)");
        Optional<Long> amount = body.optionalLong("amount", 1, Money.MAX_AMOUNT);
        Optional<String> currency = body.optionalString("currency", 3, Currencies.FORMAT, Currencies.FORMAT_HINT);
        String reason = body.optionalEnum("reason", REASONS).orElse(null);
        Map<String, String> metadata = body.optionalMetadata().orElse(Map.of());
        body.finish();
        return new NewRefund(new PaymentId(payment), amount, currency, reason, metadata);
    }

    private Response refund(String accountId, NewRefund command, IdempotentCall call) throws Exception {
        Reserved reserved = call.resourceId().isPresent()
                ? database.read(c -> {
                    Refund pending = REFUNDS.get(c, accountId, call.resourceId().get());
                    return new Reserved(pending, payments.chargeId(c, accountId, new PaymentId(pending.payment())));
                })
                : reserve(accountId, command, call);
        Refund refund = reserved.refund();
        processor.refund(call.processorKey(), reserved.chargeId(), refund.amount());
        return database.write(c -> {
            Refund succeeded = REFUNDS.save(c, accountId, refund.succeed());
            events.append(c, accountId, clock.instant().getEpochSecond(), "refund.succeeded", succeeded);
            return call.complete(c, Response.json(201, succeeded).withHeader("Location", "/v1/refunds/" + succeeded.id()));
        });
    }

    /** A pending refund and the processor charge it returns money from. */
    private record Reserved(Refund refund, String chargeId) {
    }

    private Reserved reserve(String accountId, NewRefund command, IdempotentCall call) {
        return database.write(c -> {
            Payments.RefundReservation reservation;
            try {
                reservation = payments.reserveRefund(c, accountId, command.payment(), command.amount(), command.currency());
            } catch (DomainException.NotFound e) {
                throw new DomainException.Unprocessable("/payment", "No such payment: '" + command.payment() + "'.");
            }
            long now = clock.instant().getEpochSecond();
            Refund created = REFUNDS.insert(c, accountId, new Refund(Ids.next(Ids.REFUND), now, reservation.amount(),
                    reservation.currency(), command.payment().value(), command.reason(), RefundStatus.PENDING,
                    command.metadata(), 0));
            events.append(c, accountId, now, "refund.created", created);
            call.checkpoint(c, REFUND_RESERVED, created.id());
            return new Reserved(created, reservation.chargeId());
        });
    }

    public Response get(Request request) {
        Refund refund = database.read(c -> REFUNDS.get(c, request.accountId(), request.pathParam("id")));
        return Response.json(200, refund);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, FILTERS);
        List<Refund> rows = database.read(c -> REFUNDS.list(c, request.accountId(), query.filter("payment"),
                query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Refund::seq, cursors);
    }
}
