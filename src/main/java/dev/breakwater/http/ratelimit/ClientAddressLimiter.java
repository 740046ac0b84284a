package dev.breakwater.http.ratelimit;

import dev.breakwater.http.Filter;
import dev.breakwater.http.Handler;
import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Runs in front of authentication and limits <em>failed</em> authentications per client
 * address. Each 401 takes a unit of the {@code auth-failures} quota; once an address has used it
 * up, its requests get 429 before their key is even hashed, so a flood of bad keys costs a map
 * lookup and a checksum each instead of a SHA-256. Successful requests take nothing: many honest
 * clients behind one NAT are limited by their accounts' quotas, not by sharing an address. And a
 * locked-out address is locked out for bad keys only: a request whose key passes the cheap
 * {@code mayHoldValidKey} check (every valid key does; a random guess almost never) goes on to
 * authentication, so one merchant's bad keys never lock out another behind the same address.
 *
 * <p>IPv6 clients are keyed by their /64 prefix, the block a single host can choose addresses
 * from. Behind a reverse proxy every request arrives from the proxy, so this limiter must then
 * key on the address the proxy reports instead (not implemented: Breakwater is served directly).
 */
public final class ClientAddressLimiter implements Filter {
    private final RateLimitStore store;
    private final RatePolicy policy;
    private final String policyMember;
    private final String rejectedNote;
    private final LongSupplier nanoTime;
    private final Predicate<Request> mayHoldValidKey;

    /**
     * @param mayHoldValidKey answers without hashing whether a request's key may be valid: false
     *                        only for keys that certainly are not (a request it lets through that
     *                        then fails authentication still takes from the quota)
     */
    public ClientAddressLimiter(RateLimitStore store, RatePolicy authFailures, LongSupplier nanoTime,
                                Predicate<Request> mayHoldValidKey) {
        this.store = store;
        this.mayHoldValidKey = mayHoldValidKey;
        this.policy = authFailures;
        this.policyMember = authFailures.headerMember();
        this.rejectedNote = "rejected:" + authFailures.name();
        this.nanoTime = nanoTime;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String address = key(request.remoteAddress());
        Decision before = store.peek(policy, address, nanoTime.getAsLong());
        if (!before.allowed() && !mayHoldValidKey.test(request)) {
            long retryAfter = before.waitSeconds();
            request.note(Throttling.NOTE, rejectedNote);
            Throttling.advertise(request, policyMember, Throttling.limitMember(policy.name(), 0, retryAfter));
            throw Throttling.quotaExceeded(policy, retryAfter);
        }
        try {
            return next.handle(request);
        } catch (ProblemException problem) {
            if (problem.type() == ProblemType.UNAUTHORIZED) {
                Decision after = store.acquire(policy, address, nanoTime.getAsLong());
                Throttling.advertise(request, policyMember,
                        Throttling.limitMember(policy.name(), after.remaining(), after.waitSeconds()));
            }
            throw problem;
        }
    }

    /** The partition an address belongs to: the IPv4 address, or the IPv6 /64. */
    static String key(InetSocketAddress remote) {
        InetAddress address = remote == null ? null : remote.getAddress();
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "/64";
        }
        return address.getHostAddress();
    }
}
