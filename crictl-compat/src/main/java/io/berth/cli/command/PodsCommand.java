package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.GoStrings;
import io.berth.cli.format.GoTime;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.format.TabTable;
import io.berth.cli.output.ProtoJson;
import io.berth.cri.v1.ListPodSandboxResponse;
import io.berth.cri.v1.PodSandbox;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pods", description = "List pods")
public final class PodsCommand extends CriCommand {
    @Option(names = "--id", defaultValue = "", description = "filter by pod id")
    String id;

    @Option(names = "--name", defaultValue = "", description = "Filter by pod name regular expression pattern")
    String name;

    @Option(names = "--namespace", defaultValue = "", description = "Filter by pod namespace regular expression pattern")
    String namespace;

    @Option(names = {"-s", "--state"}, defaultValue = "", description = "Filter by pod state")
    String state;

    @Option(names = "--label", split = ",", description = "Filter by key=value label")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Show verbose info for pods")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "List only pod IDs")
    boolean quiet;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format, One of: json|yaml|table (default: \"table\")")
    String output;

    @Option(names = {"-l", "--latest"}, description = "Show the most recently created pod")
    boolean latest;

    @Option(names = {"-n", "--last"}, defaultValue = "0", description = "Show last n recently created pods. Set 0 for unlimited")
    int last;

    @Option(names = "--no-trunc", description = "Show output without truncating the ID")
    boolean noTrunc;

    @Override
    protected void run(Session s) {
        PodListing.Options opts = new PodListing.Options(id, name, namespace, state, Labels.parse(labels), latest, last);
        List<PodSandbox> pods = PodListing.list(s, opts, "listing pod sandboxes: list pod sandboxes: ");
        ListPodSandboxResponse response = ListPodSandboxResponse.newBuilder().addAllItems(pods).build();
        switch (output) {
            case "json" -> s.out().print(ProtoJson.json(response) + "\n");
            case "yaml" -> s.out().print(ProtoJson.yaml(response) + "\n");
            case "table" -> s.out().print(render(pods, verbose, quiet, noTrunc, System.currentTimeMillis() * 1_000_000L,
                    ZoneId.systemDefault()));
            default -> throw fail("listing pod sandboxes: unsupported output format \"" + output + "\"");
        }
    }

    static String render(List<PodSandbox> pods, boolean verbose, boolean quiet, boolean noTrunc, long nowNanos,
                         ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        TabTable table = TabTable.crictlDefault();
        if (!verbose && !quiet) {
            table.addRow("POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME");
        }
        for (PodSandbox pod : pods) {
            if (quiet) {
                sb.append(pod.getId()).append('\n');
                continue;
            }
            if (!verbose) {
                String id = noTrunc ? pod.getId() : GoStrings.truncateId(pod.getId(), "");
                table.addRow(id, HumanUnits.ago(pod.getCreatedAt(), nowNanos), PodListing.state(pod.getState()),
                        pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                        Integer.toUnsignedString(pod.getMetadata().getAttempt()), PodListing.runtimeHandler(pod));
                continue;
            }
            sb.append("ID: ").append(pod.getId()).append('\n');
            if (pod.hasMetadata()) {
                var m = pod.getMetadata();
                if (!m.getName().isEmpty()) {
                    sb.append("Name: ").append(m.getName()).append('\n');
                }
                if (!m.getUid().isEmpty()) {
                    sb.append("UID: ").append(m.getUid()).append('\n');
                }
                if (!m.getNamespace().isEmpty()) {
                    sb.append("Namespace: ").append(m.getNamespace()).append('\n');
                }
                if (m.getAttempt() != 0) {
                    sb.append("Attempt: ").append(Integer.toUnsignedString(m.getAttempt())).append('\n');
                }
            }
            sb.append("Status: ").append(PodListing.state(pod.getState())).append('\n');
            sb.append("Created: ").append(GoTime.goString(pod.getCreatedAt(), zone)).append('\n');
            // a Go nil map is "not set"; over gRPC an empty map arrives as nil
            if (pod.getLabelsCount() > 0) {
                sb.append("Labels:\n");
                for (String k : GoMaps.sortedKeys(pod.getLabelsMap())) {
                    sb.append('\t').append(k).append(" -> ").append(pod.getLabelsMap().get(k)).append('\n');
                }
            }
            if (pod.getAnnotationsCount() > 0) {
                sb.append("Annotations:\n");
                for (String k : GoMaps.sortedKeys(pod.getAnnotationsMap())) {
                    sb.append('\t').append(k).append(" -> ").append(pod.getAnnotationsMap().get(k)).append('\n');
                }
            }
            sb.append("Runtime: ").append(PodListing.runtimeHandler(pod)).append('\n');
            sb.append('\n');
        }
        sb.append(table.render());
        return sb.toString();
    }
}
