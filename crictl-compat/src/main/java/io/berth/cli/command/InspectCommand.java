package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.app.Session;
import io.berth.cli.format.GoTime;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.output.ProtoJson;
import io.berth.cli.output.StatusOutput;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStatus;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.ContainerStatusResponse;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Display the status of one or more containers")
public final class InspectCommand extends CriCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|go-template|table")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "Do not show verbose information")
    boolean quiet;

    @Option(names = "--template", defaultValue = "", description = "The template string is only used when output is go-template; The Template format is golang template")
    String template;

    @Option(names = "--name", defaultValue = "", description = "Filter by container name regular expression pattern")
    String name;

    @Option(names = "--namespace", defaultValue = "", description = "Filter by pod namespace regular expression pattern")
    String namespace;

    @Option(names = {"-p", "--pod"}, defaultValue = "", description = "Filter by pod id")
    String pod;

    @Option(names = "--image", defaultValue = "", description = "Filter by container image")
    String image;

    @Option(names = {"-s", "--state"}, defaultValue = "", description = "Filter by container state")
    String state;

    @Option(names = "--label", split = ",", description = "Filter by key=value label")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-l", "--latest"}, description = "Show the most recently created container (includes all states)")
    boolean latest;

    @Option(names = {"-n", "--last"}, defaultValue = "0", description = "Show last n recently created containers (includes all states). Set 0 for unlimited.")
    int last;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        List<String> targets = new ArrayList<>(ids);
        if (targets.isEmpty()) {
            ContainerListing.Options opts = new ContainerListing.Options("", pod, name, namespace, state,
                    Labels.parse(labels), false, latest, last);
            for (Container c : ContainerListing.list(s, opts, "listing containers: ")) {
                targets.add(c.getId());
            }
        }
        if (targets.isEmpty()) {
            s.log().error("No IDs provided or nothing found per filter");
            throw showHelp();
        }
        boolean verbose = !quiet;
        String format = output.isEmpty() ? "json" : output;
        List<StatusOutput.StatusData> statuses = new ArrayList<>();
        for (String id : targets) {
            ContainerStatusResponse r = rpc(s, "get the status of containers: get container status",
                    () -> s.runtime().containerStatus(ContainerStatusRequest.newBuilder()
                            .setContainerId(id).setVerbose(verbose).build()));
            if (format.equals("table")) {
                s.out().print(table(r, verbose, System.currentTimeMillis() * 1_000_000L));
            } else {
                statuses.add(new StatusOutput.StatusData(statusJson(r.getStatus(), ZoneId.systemDefault()), null,
                        r.getInfoMap()));
            }
        }
        s.out().print(StatusOutput.render(statuses, format, template));
    }

    /** crictl's marshalContainerStatus: every top-level field, the three times as RFC 3339. */
    static ObjectNode statusJson(ContainerStatus cs, ZoneId zone) {
        ObjectNode node = ProtoJson.withAllTopLevelFields(cs, ProtoJson.tree(cs));
        JsonNodeFactory f = JsonNodeFactory.instance;
        node.set("createdAt", f.textNode(GoTime.rfc3339Nano(cs.getCreatedAt(), zone)));
        String started = GoTime.zeroRfc3339Nano();
        String finished = GoTime.zeroRfc3339Nano();
        if (cs.getState() != ContainerState.CONTAINER_CREATED) {
            started = GoTime.rfc3339Nano(cs.getStartedAt(), zone);
        }
        if (cs.getState() == ContainerState.CONTAINER_EXITED
                || (cs.getState() == ContainerState.CONTAINER_UNKNOWN && cs.getFinishedAt() > 0)) {
            finished = GoTime.rfc3339Nano(cs.getFinishedAt(), zone);
        }
        node.set("startedAt", f.textNode(started));
        node.set("finishedAt", f.textNode(finished));
        return node;
    }

    static String table(ContainerStatusResponse r, boolean verbose, long nowNanos) {
        StringBuilder sb = new StringBuilder();
        ContainerStatus st = r.getStatus();
        sb.append("ID: ").append(st.getId()).append('\n');
        if (st.hasMetadata()) {
            if (!st.getMetadata().getName().isEmpty()) {
                sb.append("Name: ").append(st.getMetadata().getName()).append('\n');
            }
            if (st.getMetadata().getAttempt() != 0) {
                sb.append("Attempt: ").append(Integer.toUnsignedString(st.getMetadata().getAttempt())).append('\n');
            }
        }
        sb.append("State: ").append(st.getState().name()).append('\n');
        sb.append("Created: ").append(HumanUnits.ago(st.getCreatedAt(), nowNanos)).append('\n');
        if (st.getState() != ContainerState.CONTAINER_CREATED) {
            sb.append("Started: ").append(HumanUnits.ago(st.getStartedAt(), nowNanos)).append('\n');
        }
        if (st.getState() == ContainerState.CONTAINER_EXITED) {
            if (st.getFinishedAt() > 0) {
                sb.append("Finished: ").append(HumanUnits.ago(st.getFinishedAt(), nowNanos)).append('\n');
            }
            sb.append("Exit Code: ").append(st.getExitCode()).append('\n');
        }
        if (st.getLabelsCount() > 0) {
            sb.append("Labels:\n");
            for (String k : GoMaps.sortedKeys(st.getLabelsMap())) {
                sb.append('\t').append(k).append(" -> ").append(st.getLabelsMap().get(k)).append('\n');
            }
        }
        if (st.getAnnotationsCount() > 0) {
            sb.append("Annotations:\n");
            for (String k : GoMaps.sortedKeys(st.getAnnotationsMap())) {
                sb.append('\t').append(k).append(" -> ").append(st.getAnnotationsMap().get(k)).append('\n');
            }
        }
        if (verbose) {
            sb.append("Info: ").append(GoMaps.format(r.getInfoMap())).append('\n');
        }
        return sb.toString();
    }
}
