package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.GoStrings;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.format.TabTable;
import io.berth.cli.output.ProtoJson;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ImageStatusResponse;
import io.berth.cri.v1.ListContainersResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List containers")
public final class PsCommand extends CriCommand {
    @Option(names = {"-v", "--verbose"}, description = "Show verbose information for containers")
    boolean verbose;

    @Option(names = "--id", defaultValue = "", description = "Filter by container id")
    String id;

    @Option(names = "--name", defaultValue = "", description = "Filter by container name regular expression pattern")
    String name;

    @Option(names = {"-p", "--pod"}, defaultValue = "", description = "Filter by pod id")
    String pod;

    @Option(names = "--image", defaultValue = "", description = "Filter by container image")
    String image;

    @Option(names = {"-s", "--state"}, defaultValue = "", description = "Filter by container state")
    String state;

    @Option(names = "--label", split = ",", description = "Filter by key=value label")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format, One of: json|yaml|table (default: \"table\")")
    String output;

    @Option(names = {"-a", "--all"}, description = "Show all containers")
    boolean all;

    @Option(names = {"-l", "--latest"}, description = "Show the most recently created container (includes all states)")
    boolean latest;

    @Option(names = {"-n", "--last"}, defaultValue = "0", description = "Show last n recently created containers (includes all states). Set 0 for unlimited.")
    int last;

    @Option(names = "--no-trunc", description = "Show output without truncating the ID")
    boolean noTrunc;

    @Option(names = {"-r", "--resolve-image-path"}, description = "Show image path instead of image id")
    boolean resolveImagePath;

    @Option(names = "--namespace", defaultValue = "", description = "Filter by pod namespace regular expression pattern")
    String namespace;

    @Override
    protected void run(Session s) {
        ContainerListing.Options opts = new ContainerListing.Options(id, pod, name, namespace, state,
                Labels.parse(labels), all, latest, last);
        List<Container> containers = ContainerListing.list(s, opts, "listing containers: list containers: ");
        ListContainersResponse response = ListContainersResponse.newBuilder().addAllContainers(containers).build();
        switch (output) {
            case "json" -> {
                s.out().print(ProtoJson.json(response) + "\n");
                return;
            }
            case "yaml" -> {
                s.out().print(ProtoJson.yaml(response) + "\n");
                return;
            }
            case "table" -> {
            }
            default -> throw fail("listing containers: unsupported output format \"" + output + "\"");
        }
        Map<String, ImageStatusResponse> statusCache = new HashMap<>();
        Function<String, ImageStatusResponse> imageStatus = ref -> statusCache.computeIfAbsent(ref,
                r -> imageRpc(s, "listing containers: check image match", () -> RemoveImageCommand.status(s, r)));
        s.out().print(render(containers, new Options(verbose, quiet, noTrunc, resolveImagePath, image),
                System.currentTimeMillis() * 1_000_000L, imageStatus));
    }

    record Options(boolean verbose, boolean quiet, boolean noTrunc, boolean resolveImagePath, String image) {
    }

    static String render(List<Container> containers, Options o, long nowNanos,
                         Function<String, ImageStatusResponse> imageStatus) {
        StringBuilder sb = new StringBuilder();
        TabTable table = TabTable.crictlDefault();
        if (!o.verbose() && !o.quiet()) {
            table.addRow("CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE");
        }
        for (Container c : containers) {
            if (!o.image().isEmpty()) {
                ImageStatusResponse wanted = imageStatus.apply(o.image());
                ImageStatusResponse actual = imageStatus.apply(c.getImage().getImage());
                if (!wanted.hasImage() || !actual.hasImage() || !wanted.getImage().getId().equals(actual.getImage().getId())) {
                    continue;
                }
            }
            if (o.quiet()) {
                sb.append(c.getId()).append('\n');
                continue;
            }
            String created = HumanUnits.ago(c.getCreatedAt(), nowNanos);
            String podNamespace = ContainerListing.label(c.getLabelsMap(), ContainerListing.POD_NAMESPACE_LABEL);
            if (!o.verbose()) {
                String cid = c.getId();
                String podId = c.getPodSandboxId();
                String image = c.hasImage() ? c.getImage().getImage() : "";
                if (!o.noTrunc()) {
                    cid = GoStrings.truncateId(cid, "");
                    podId = GoStrings.truncateId(podId, "");
                    // kubelet sets the image to its id; a digest shows as its first 13 hex digits
                    if (ImageNames.isDigest(image)) {
                        image = GoStrings.truncateId(image, image.substring(0, image.indexOf(':') + 1));
                    }
                }
                if (o.resolveImagePath()) {
                    ImageStatusResponse st = imageStatus.apply(image);
                    if (st.getImage().getRepoTagsCount() > 0) {
                        image = st.getImage().getRepoTags(0);
                    }
                }
                table.addRow(cid, image, created, ContainerListing.state(c.getState()), c.getMetadata().getName(),
                        Integer.toUnsignedString(c.getMetadata().getAttempt()), podId,
                        ContainerListing.label(c.getLabelsMap(), ContainerListing.POD_NAME_LABEL), podNamespace);
                continue;
            }
            sb.append("ID: ").append(c.getId()).append('\n');
            sb.append("PodID: ").append(c.getPodSandboxId()).append('\n');
            sb.append("Namespace: ").append(podNamespace).append('\n');
            if (c.hasMetadata()) {
                if (!c.getMetadata().getName().isEmpty()) {
                    sb.append("Name: ").append(c.getMetadata().getName()).append('\n');
                }
                sb.append("Attempt: ").append(Integer.toUnsignedString(c.getMetadata().getAttempt())).append('\n');
            }
            sb.append("State: ").append(ContainerListing.state(c.getState())).append('\n');
            if (c.hasImage()) {
                sb.append("Image: ").append(c.getImage().getImage()).append('\n');
            }
            sb.append("Created: ").append(created).append('\n');
            if (c.getLabelsCount() > 0) {
                sb.append("Labels:\n");
                for (String k : GoMaps.sortedKeys(c.getLabelsMap())) {
                    sb.append('\t').append(k).append(" -> ").append(c.getLabelsMap().get(k)).append('\n');
                }
            }
            if (c.getAnnotationsCount() > 0) {
                sb.append("Annotations:\n");
                for (String k : GoMaps.sortedKeys(c.getAnnotationsMap())) {
                    sb.append('\t').append(k).append(" -> ").append(c.getAnnotationsMap().get(k)).append('\n');
                }
            }
            sb.append('\n');
        }
        sb.append(table.render());
        return sb.toString();
    }
}
