package dev.breakwater.observability;

import dev.breakwater.http.Request;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import java.net.InetAddress;
import java.util.List;

/**
 * Who may read /metrics and /dashboard: clients whose address is in {@code BREAKWATER_METRICS_ALLOW}.
 * Others get the same 404 as an unknown path, so the endpoints are not even discoverable. The
 * check uses the TCP peer address, never X-Forwarded-For, which any client can forge.
 */
final class OpsAccess {
    private final List<Cidr> allowed;

    OpsAccess(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    void check(Request request) {
        InetAddress peer = request.remoteAddress() == null ? null : request.remoteAddress().getAddress();
        if (peer == null || allowed.stream().noneMatch(range -> range.contains(peer))) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No resource at " + request.path() + ".");
        }
    }
}
