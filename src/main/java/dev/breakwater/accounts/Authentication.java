package dev.breakwater.accounts;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.util.List;
import java.util.Map;

/** Requires {@code Authorization: Bearer <secret key>} on /v1 and records the account on the request. */
public final class Authentication implements Filter {
    static final String CHALLENGE = "Bearer realm=\"breakwater\"";
    private static final int MAX_SECRET = 200;

    private final Accounts accounts;

    public Authentication(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (request.headerValues("Authorization").size() > 1) {
            // A singleton field (RFC 9110): with two, a proxy and this server could each pick another.
            throw unauthorized("Send exactly one Authorization header.");
        }
        String secret = secret(request);
        if (secret == null) {
            throw unauthorized("Send your secret key as 'Authorization: Bearer sk_test_...'.");
        }
        String account = secret.isEmpty() || secret.length() > MAX_SECRET ? null
                : accounts.authenticate(secret).orElse(null);
        if (account == null) {
            throw unauthorized("The API key is not valid.");
        }
        request.authenticatedAs(account);
        return next.handle(request);
    }

    /**
     * Whether the request may carry a valid key, decided without hashing it (see
     * {@link Accounts#mayBeValid}): what the bad-key limiter asks before it refuses a request from
     * a locked-out address, so that a valid key is never refused for its neighbours' bad ones.
     */
    public boolean mayHoldValidKey(Request request) {
        if (request.headerValues("Authorization").size() > 1) {
            return false;
        }
        String secret = secret(request);
        return secret != null && !secret.isEmpty() && secret.length() <= MAX_SECRET && accounts.mayBeValid(secret);
    }

    /** The bearer token, or null when there is no {@code Authorization: Bearer} header. */
    private static String secret(Request request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail, List.of(), Map.of(),
                Map.of("WWW-Authenticate", CHALLENGE));
    }
}
