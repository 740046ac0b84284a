package dev.breakwater.http.ratelimit;

/**
 * How much a request matters when the node must choose, decided from method and path alone:
 * the load shedder runs before routing, so it cannot use the route template, and the path
 * shapes below are cheap to recognise.
 */
enum TrafficClass {
    /** Money movement a merchant is waiting on: create a payment, capture it, refund it. Shed last. */
    CRITICAL,
    /** Every other unsafe request (customers, cancel). */
    WRITE,
    /** GET and HEAD: lists and lookups a client can simply repeat later. Shed first. */
    READ;

    private static final String PAYMENTS = "/v1/payments";
    private static final String CAPTURE = "/capture";

    static TrafficClass of(String method, String path) {
        if (isRead(method)) {
            return READ;
        }
        if (method.equals("POST") && (path.equals(PAYMENTS) || path.equals("/v1/refunds") || isCapture(path))) {
            return CRITICAL;
        }
        return WRITE;
    }

    /** Safe methods draw on the read quota; everything else on the write quota. */
    static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** {@code /v1/payments/{id}/capture} with a non-empty id and no further segments. */
    private static boolean isCapture(String path) {
        int idStart = PAYMENTS.length() + 1;
        int idEnd = path.length() - CAPTURE.length();
        return path.startsWith(PAYMENTS) && path.length() > idStart && path.charAt(PAYMENTS.length()) == '/'
                && path.endsWith(CAPTURE) && idEnd > idStart && path.indexOf('/', idStart) == idEnd;
    }
}
