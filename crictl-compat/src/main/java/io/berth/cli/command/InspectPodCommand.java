package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.app.Session;
import io.berth.cli.format.GoTime;
import io.berth.cli.output.ProtoJson;
import io.berth.cli.output.StatusOutput;
import io.berth.cri.v1.PodIP;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxStatus;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.PodSandboxStatusResponse;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspectp", description = "Display the status of one or more pods")
public final class InspectPodCommand extends CriCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|go-template|table")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "Do not show verbose information")
    boolean quiet;

    @Option(names = "--template", defaultValue = "", description = "The template string is only used when output is go-template; The Template format is golang template")
    String template;

    @Option(names = "--name", defaultValue = "", description = "Filter by pod name regular expression pattern")
    String name;

    @Option(names = "--namespace", defaultValue = "", description = "Filter by pod namespace regular expression pattern")
    String namespace;

    @Option(names = {"-s", "--state"}, defaultValue = "", description = "Filter by pod state")
    String state;

    @Option(names = "--label", split = ",", description = "Filter by key=value label")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-l", "--latest"}, description = "Show the most recently created pod")
    boolean latest;

    @Option(names = {"-n", "--last"}, defaultValue = "0", description = "Show last n recently created pods. Set 0 for unlimited")
    int last;

    @Parameters(arity = "0..*", paramLabel = "POD-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        List<String> targets = new ArrayList<>(ids);
        if (targets.isEmpty()) {
            PodListing.Options opts = new PodListing.Options("", name, namespace, state, Labels.parse(labels), latest, last);
            for (PodSandbox p : PodListing.list(s, opts, "listing pod sandboxes: ")) {
                targets.add(p.getId());
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
            PodSandboxStatusResponse r = rpc(s, "get the status of pod sandboxes: get pod sandbox status",
                    () -> s.runtime().podSandboxStatus(PodSandboxStatusRequest.newBuilder()
                            .setPodSandboxId(id).setVerbose(verbose).build()));
            if (format.equals("table")) {
                s.out().print(table(r, verbose, ZoneId.systemDefault()));
            } else {
                statuses.add(new StatusOutput.StatusData(statusJson(r.getStatus(), ZoneId.systemDefault()), null,
                        r.getInfoMap()));
            }
        }
        s.out().print(StatusOutput.render(statuses, format, template));
    }

    /** crictl's marshalPodSandboxStatus: every top-level field, createdAt as an RFC 3339 time. */
    static ObjectNode statusJson(PodSandboxStatus status, ZoneId zone) {
        ObjectNode node = ProtoJson.withAllTopLevelFields(status, ProtoJson.tree(status));
        node.set("createdAt", JsonNodeFactory.instance.textNode(GoTime.rfc3339Nano(status.getCreatedAt(), zone)));
        return node;
    }

    static String table(PodSandboxStatusResponse r, boolean verbose, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        PodSandboxStatus st = r.getStatus();
        sb.append("ID: ").append(st.getId()).append('\n');
        if (st.hasMetadata()) {
            var m = st.getMetadata();
            if (!m.getName().isEmpty()) {
                sb.append("Name: ").append(m.getName()).append('\n');
            }
            if (!m.getUid().isEmpty()) {
                sb.append("UID: ").append(m.getUid()).append('\n');
            }
            if (!m.getNamespace().isEmpty()) {
                sb.append("Namespace: ").append(m.getNamespace()).append('\n');
            }
            sb.append("Attempt: ").append(Integer.toUnsignedString(m.getAttempt())).append('\n');
        }
        sb.append("Status: ").append(st.getState().name()).append('\n');
        sb.append("Created: ").append(GoTime.goString(st.getCreatedAt(), zone)).append('\n');
        if (st.hasNetwork()) {
            sb.append("IP Addresses: ").append(st.getNetwork().getIp()).append('\n');
            for (PodIP ip : st.getNetwork().getAdditionalIpsList()) {
                sb.append("Additional IP: ").append(ip.getIp()).append('\n');
            }
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
