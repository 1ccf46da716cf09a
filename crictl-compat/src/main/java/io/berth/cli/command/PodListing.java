package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxFilter;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStateValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** crictl's ListPodSandboxes: the RPC filter, then name/namespace regexps, newest first, --latest/--last. */
final class PodListing {
    record Options(String id, String nameRegexp, String namespaceRegexp, String state, Map<String, String> labels,
                   boolean latest, int last) {
    }

    private PodListing() {
    }

    /** Lists pods; an RPC failure is reported as {@code errorPrefix + "call list sandboxes RPC: ..."}. */
    static List<PodSandbox> list(Session s, Options o, String errorPrefix) {
        PodSandboxFilter.Builder filter = PodSandboxFilter.newBuilder();
        if (o.id() != null && !o.id().isEmpty()) {
            filter.setId(o.id());
        }
        if (o.state() != null && !o.state().isEmpty()) {
            PodSandboxState st = switch (o.state().toLowerCase(Locale.ROOT)) {
                case "ready" -> PodSandboxState.SANDBOX_READY;
                case "notready" -> PodSandboxState.SANDBOX_NOTREADY;
                default -> throw new CliException("--state should be ready or notready");
            };
            filter.setState(PodSandboxStateValue.newBuilder().setState(st));
        }
        if (o.labels() != null) {
            filter.putAllLabelSelector(o.labels());
        }
        List<PodSandbox> pods = CriCommand.rpc(s, errorPrefix + "call list sandboxes RPC",
                () -> s.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(filter).build()))
                .getItemsList();
        return select(pods, o);
    }

    /** crictl's getSandboxesList. */
    static List<PodSandbox> select(List<PodSandbox> pods, Options o) {
        List<PodSandbox> filtered = new ArrayList<>();
        for (PodSandbox p : pods) {
            if (p.hasMetadata() && Regex.matches(o.nameRegexp(), p.getMetadata().getName())
                    && Regex.matches(o.namespaceRegexp(), p.getMetadata().getNamespace())) {
                filtered.add(p);
            }
        }
        filtered = ImageNames.sorted(filtered, (a, b) -> a.getCreatedAt() > b.getCreatedAt());
        int n = filtered.size();
        if (o.latest()) {
            n = 1;
        }
        if (o.last() > 0) {
            n = o.last();
        }
        return filtered.subList(0, Math.min(n, filtered.size()));
    }

    static String state(PodSandboxState state) {
        return switch (state) {
            case SANDBOX_READY -> "Ready";
            case SANDBOX_NOTREADY -> "NotReady";
            default -> throw new CliException("Unknown pod state \"" + state + "\"");
        };
    }

    static String runtimeHandler(PodSandbox p) {
        return p.getRuntimeHandler().isEmpty() ? "(default)" : p.getRuntimeHandler();
    }
}
