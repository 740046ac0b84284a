package dev.breakwater.http;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.Locale;

/**
 * 406 when {@code Accept} rules out JSON, 415 when a request body is not
 * {@code application/json} (UTF-8). A request with no body needs no Content-Type.
 */
public final class ContentNegotiation implements Filter {

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String accept = request.header("Accept");
        if (accept != null && !acceptsJson(accept)) {
            throw new ProblemException(ProblemType.NOT_ACCEPTABLE,
                    "This API answers application/json (and application/problem+json for errors); Accept was '"
                            + truncate(accept) + "'.");
        }
        if (request.body().length > 0) {
            String contentType = request.header("Content-Type");
            if (contentType == null || !isJson(contentType)) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "Send request bodies as 'Content-Type: application/json' (UTF-8); got "
                                + (contentType == null ? "no Content-Type" : "'" + truncate(contentType) + "'") + ".");
            }
        }
        return next.handle(request);
    }

    /** True when some media range covers JSON with a non-zero quality. */
    static boolean acceptsJson(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean covers = type.equals("*/*") || type.equals("application/*") || type.equals("application/json")
                    || type.equals("application/problem+json");
            if (covers && quality(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("q")) {
                try {
                    return Double.parseDouble(param[1].strip());
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].strip().equalsIgnoreCase("charset")
                    && (param.length < 2 || !param[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
