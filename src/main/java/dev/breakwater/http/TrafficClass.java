package dev.breakwater.http;

/**
 * How much a request matters when the node must choose. Each route declares its class in the
 * route table; the load shedder reads it from the request, so no cross-cutting code needs to
 * know which paths move money.
 */
public enum TrafficClass {
    /** Money movement a merchant is waiting on: create a payment, capture it, refund it. Shed last. */
    CRITICAL,
    /** Every other unsafe request (customers, cancel). */
    WRITE,
    /** GET and HEAD: lists and lookups a client can simply repeat later. Shed first. */
    READ;

    /** The class of a request that matched no route: by its method alone. */
    public static TrafficClass ofMethod(String method) {
        return isRead(method) ? READ : WRITE;
    }

    /** Safe methods draw on the read quota; everything else on the write quota. */
    public static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
