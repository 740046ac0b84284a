package dev.breakwater.refunds;

import dev.breakwater.domain.DomainException;
import dev.breakwater.domain.Ids;
import dev.breakwater.events.Events;
import dev.breakwater.http.Body;
import dev.breakwater.common.Json;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.idempotency.Idempotency;
import dev.breakwater.http.idempotency.IdempotentCall;
import dev.breakwater.http.pagination.CursorCodec;
import dev.breakwater.http.pagination.ListQuery;
import dev.breakwater.http.pagination.Page;
import dev.breakwater.payments.Payment;
import dev.breakwater.payments.PaymentHandlers;
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
 * first the refund is reserved (a pending refund counted against the payment, so concurrent
 * refunds can never exceed the captured amount) together with its recovery point; then, after
 * the processor confirms, it is marked succeeded together with the idempotency record.
 */
public final class RefundHandlers {
    static final String REFUND_RESERVED = "refund_reserved";
    private static final Set<String> REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");
    private static final List<ListQuery.FilterSpec> FILTERS = List.of(
            new ListQuery.FilterSpec("payment", v -> Ids.matches(Ids.PAYMENT, v), "must be a payment id (pay_...)"));

    private final Database database;
    private final Refunds refunds;
    private final Payments payments;
    private final Events events;
    private final PaymentProcessor processor;
    private final Idempotency idempotency;
    private final CursorCodec cursors;
    private final Clock clock;

    public RefundHandlers(Database database, Refunds refunds, Payments payments, Events events,
                          PaymentProcessor processor, Idempotency idempotency, CursorCodec cursors, Clock clock) {
        this.database = database;
        this.refunds = refunds;
        this.payments = payments;
        this.events = events;
        this.processor = processor;
        this.idempotency = idempotency;
        this.cursors = cursors;
        this.clock = clock;
    }

    private record NewRefund(String payment, Optional<Long> amount, String reason, Map<String, String> metadata) {
    }

    public Response create(Request request) throws Exception {
        Body body = Body.of(request);
        String payment = body.requiredString("payment", 64, Ids.pattern(Ids.PAYMENT), "must be a payment id (pay_...)");
        Optional<Long> amount = body.optionalLong("amount", 1, PaymentHandlers.MAX_AMOUNT);
        String reason = body.optionalEnum("reason", REASONS).orElse(null);
        Map<String, String> metadata = body.optionalMetadata().orElse(Map.of());
        body.finish();
        NewRefund command = new NewRefund(payment, amount, reason, metadata);
        return idempotency.execute(request, Json.canonical(body.json()), call -> refund(request.accountId(), command, call));
    }

    private Response refund(String accountId, NewRefund command, IdempotentCall call) throws Exception {
        Reserved reserved = call.resourceId().isPresent()
                ? database.read(c -> {
                    Refund pending = refunds.get(c, accountId, call.resourceId().get());
                    return new Reserved(pending, payments.get(c, accountId, pending.payment(), false).chargeId());
                })
                : reserve(accountId, command, call);
        Refund refund = reserved.refund();
        processor.refund(call.processorKey(), reserved.chargeId(), refund.amount());
        return database.write(c -> {
            Refund succeeded = refunds.markSucceeded(c, accountId, refund.id());
            events.append(c, accountId, clock.instant().getEpochSecond(), "refund.succeeded", succeeded);
            return call.complete(c, Response.json(201, succeeded).withHeader("Location", "/v1/refunds/" + succeeded.id()));
        });
    }

    /** A pending refund and the processor charge it returns money from. */
    private record Reserved(Refund refund, String chargeId) {
    }

    private Reserved reserve(String accountId, NewRefund command, IdempotentCall call) {
        return database.write(c -> {
            Payment payment;
            try {
                payment = payments.get(c, accountId, command.payment(), true);
            } catch (DomainException.NotFound e) {
                throw new DomainException.Unprocessable("/payment", "No such payment: '" + command.payment() + "'.");
            }
            if (!payment.status().equals(Payment.SUCCEEDED)) {
                throw new DomainException.InvalidState("Payment " + payment.id() + " cannot be refunded: its status is "
                        + payment.status() + "; only a succeeded (captured) payment can be.", payment.status());
            }
            long remaining = payment.refundable();
            long amount = command.amount().orElse(remaining);
            if (remaining == 0 || amount > remaining) {
                throw new DomainException.Unprocessable("/amount", "Cannot refund " + amount + " " + payment.currency()
                        + ": the payment captured " + payment.amountCaptured() + " and " + payment.amountRefunded()
                        + " is already refunded, so at most " + remaining + " remains.");
            }
            payments.update(c, accountId, payment.id(), payment.status(), payment.amountCapturable(),
                    payment.amountCaptured(), payment.amountRefunded() + amount);
            long now = clock.instant().getEpochSecond();
            Refund created = refunds.insert(c, accountId, Ids.next(Ids.REFUND), now, amount, payment.currency(),
                    payment.id(), command.reason(), command.metadata());
            events.append(c, accountId, now, "refund.created", created);
            call.checkpoint(c, REFUND_RESERVED, created.id());
            return new Reserved(created, payment.chargeId());
        });
    }

    public Response get(Request request) {
        Refund refund = database.read(c -> refunds.get(c, request.accountId(), request.pathParam("id")));
        return Response.json(200, refund);
    }

    public Response list(Request request) {
        ListQuery query = ListQuery.parse(request, cursors, FILTERS);
        List<Refund> rows = database.read(c -> refunds.list(c, request.accountId(), query.filter("payment"),
                query.before(), query.limit() + 1));
        return Page.of(request, query, rows, Refund::seq, cursors);
    }
}
