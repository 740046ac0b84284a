package dev.breakwater.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.problem.FieldError;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one change /v2 makes: money is an object, {@code {"value": 2000, "currency": "usd"}},
 * wherever v1 has an integer amount beside a {@code currency} member. On the way in, a v2 body's
 * {@code amount} object becomes v1's {@code amount} and {@code currency}; on the way out, every
 * object that carries a {@code currency} gets each integer {@code amount} and {@code amount_*}
 * member wrapped with it, and loses the separate {@code currency}. Events' snapshots and list
 * pages are objects like any other, so they read in the reader's version too.
 */
final class MoneyObjects {
    static final String AMOUNT = "amount";
    static final String CURRENCY = "currency";
    static final String VALUE = "value";

    private MoneyObjects() {
    }

    /** A v2 request body in v1's form, or a 400 naming every v2 field that is not a valid money object. */
    static ObjectNode toCanonicalRequest(ObjectNode v2) {
        List<FieldError> errors = new ArrayList<>();
        if (v2.has(CURRENCY)) {
            errors.add(new FieldError("/currency", "is not a field in v2: give the currency inside the money object, "
                    + "as amount.currency"));
        }
        ObjectNode canonical = v2.deepCopy();
        JsonNode amount = v2.get(AMOUNT);
        if (amount != null && !amount.isNull()) {
            if (!amount.isObject()) {
                errors.add(new FieldError("/amount", "must be a money object such as {\"value\": 2000, \"currency\": \"usd\"}"));
            } else {
                for (Iterator<String> names = amount.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!name.equals(VALUE) && !name.equals(CURRENCY)) {
                        errors.add(new FieldError("/amount/" + name, "is not a field of a money object (value, currency)"));
                    }
                }
                for (String required : List.of(VALUE, CURRENCY)) {
                    if (amount.get(required) == null || amount.get(required).isNull()) {
                        errors.add(new FieldError("/amount/" + required, "is required"));
                    }
                }
                canonical.set(AMOUNT, amount.get(VALUE));
                canonical.set(CURRENCY, amount.get(CURRENCY));
            }
        }
        if (!errors.isEmpty()) {
            String summary = errors.size() == 1 ? errors.get(0).pointer() + " " + errors.get(0).detail()
                    : errors.size() + " fields are invalid; see errors";
            throw new ProblemException(ProblemType.INVALID_REQUEST, summary, errors, Map.of(), Map.of());
        }
        return canonical;
    }

    /** Rewrites a canonical (v1) response body in place: money members become money objects. */
    static void toV2(JsonNode node) {
        if (node.isArray()) {
            node.forEach(MoneyObjects::toV2);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) node;
        object.forEach(MoneyObjects::toV2);
        JsonNode currency = object.get(CURRENCY);
        if (currency == null || !currency.isTextual()) {
            return;
        }
        List<String> money = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if ((name.equals(AMOUNT) || name.startsWith(AMOUNT + "_")) && object.get(name).isIntegralNumber()) {
                money.add(name);
            }
        });
        for (String name : money) {
            ObjectNode wrapped = Json.object();
            wrapped.set(VALUE, object.get(name));
            wrapped.set(CURRENCY, currency);
            object.set(name, wrapped);
        }
        if (!money.isEmpty()) {
            object.remove(CURRENCY);
        }
    }

    /** A field a v1 problem points at, as the v2 request spelled it. */
    static String toV2Pointer(String pointer) {
        if (pointer.equals("/" + AMOUNT)) {
            return "/amount/value";
        }
        if (pointer.equals("/" + CURRENCY)) {
            return "/amount/currency";
        }
        return pointer;
    }

    /** The same for a problem's {@code errors[]} in a rendered body. */
    static void pointersToV2(ObjectNode problem) {
        JsonNode errors = problem.get("errors");
        if (errors instanceof ArrayNode array) {
            for (JsonNode error : array) {
                if (error instanceof ObjectNode e && e.path("pointer").isTextual()) {
                    e.put("pointer", toV2Pointer(e.get("pointer").asText()));
                }
            }
        }
    }
}
