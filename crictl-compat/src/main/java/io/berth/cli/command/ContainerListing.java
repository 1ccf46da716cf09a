package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerFilter;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStateValue;
import io.berth.cri.v1.ListContainersRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** crictl's ListContainers: state defaults to running, then regexps, newest first, --latest/--last. */
final class ContainerListing {
    static final String POD_NAME_LABEL = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";

    record Options(String id, String podId, String nameRegexp, String namespaceRegexp, String state,
                   Map<String, String> labels, boolean all, boolean latest, int last) {
    }

    private ContainerListing() {
    }

    static List<Container> list(Session s, Options o, String errorPrefix) {
        ContainerFilter.Builder filter = ContainerFilter.newBuilder();
        if (o.id() != null && !o.id().isEmpty()) {
            filter.setId(o.id());
        }
        if (o.podId() != null && !o.podId().isEmpty()) {
            filter.setPodSandboxId(o.podId());
        }
        boolean hasState = o.state() != null && !o.state().isEmpty();
        if (!o.all() && !hasState) {
            filter.setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING));
        }
        if (hasState) {
            ContainerState st = switch (o.state().toLowerCase(Locale.ROOT)) {
                case "created" -> ContainerState.CONTAINER_CREATED;
                case "running" -> ContainerState.CONTAINER_RUNNING;
                case "exited" -> ContainerState.CONTAINER_EXITED;
                case "unknown" -> ContainerState.CONTAINER_UNKNOWN;
                default -> throw new CliException("--state should be one of created, running, exited or unknown");
            };
            filter.setState(ContainerStateValue.newBuilder().setState(st));
        }
        if (o.latest() || o.last() > 0) {
            filter.clearState();
        }
        if (o.labels() != null) {
            filter.putAllLabelSelector(o.labels());
        }
        List<Container> all = CriCommand.rpc(s, errorPrefix + "call list containers RPC",
                () -> s.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(filter).build()))
                .getContainersList();
        return select(all, o);
    }

    static List<Container> select(List<Container> containers, Options o) {
        List<Container> filtered = new ArrayList<>();
        for (Container c : containers) {
            if (c.hasMetadata() && Regex.matches(o.nameRegexp(), c.getMetadata().getName())
                    && Regex.matches(o.namespaceRegexp(), label(c.getLabelsMap(), POD_NAMESPACE_LABEL))) {
                filtered.add(c);
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

    static String label(Map<String, String> labels, String key) {
        String v = labels.get(key);
        return v == null ? "unknown" : v;
    }

    static String state(ContainerState state) {
        return switch (state) {
            case CONTAINER_CREATED -> "Created";
            case CONTAINER_RUNNING -> "Running";
            case CONTAINER_EXITED -> "Exited";
            case CONTAINER_UNKNOWN -> "Unknown";
            default -> throw new CliException("Unknown container state \"" + state + "\"");
        };
    }
}
