package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.GoStrings;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.format.TabTable;
import io.berth.cli.output.ProtoJson;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ListImagesResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images", aliases = {"image", "img"}, description = "List images")
public final class ImagesCommand extends CriCommand {
    @Option(names = {"-v", "--verbose"}, description = "Show verbose info for images")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = {"-f", "--filter"}, split = ",", description = "Filter output based on provided conditions. Available filters: "
            + "dangling=(boolean - true or false), reference=/regular expression/, before=<image-name>[:<tag>]|<image id>|<image@digest>, "
            + "since=<image-name>[:<tag>]|<image id>|<image@digest>. Multiple filters can be combined together.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|table")
    String output;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = "--no-trunc", description = "Show output without truncating the ID")
    boolean noTrunc;

    @Option(names = "--pinned", description = "Show whether the image is pinned or not")
    boolean pinned;

    @Parameters(arity = "0..*", paramLabel = "REPOSITORY[:TAG]")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (args.size() > 1) {
            throw showHelp();
        }
        List<Image> images = ImageListing.list(s, args.isEmpty() ? "" : args.get(0), filters);
        PrintWriter out = s.out();
        ListImagesResponse response = ListImagesResponse.newBuilder().addAllImages(images).build();
        if (output.equals("json")) {
            out.print(ProtoJson.json(response) + "\n");
            return;
        }
        if (output.equals("yaml")) {
            out.print(ProtoJson.yaml(response) + "\n");
            return;
        }
        out.print(render(images, verbose, quiet, digests, pinned, noTrunc));
    }

    /** The table (or -q / -v listing) exactly as crictl prints it. */
    static String render(List<Image> images, boolean verbose, boolean quiet, boolean digests, boolean pinned,
                         boolean noTrunc) {
        StringBuilder sb = new StringBuilder();
        TabTable table = TabTable.crictlDefault();
        if (!verbose && !quiet) {
            List<String> header = new ArrayList<>(List.of("IMAGE", "TAG"));
            if (digests) {
                header.add("DIGEST");
            }
            header.add("IMAGE ID");
            header.add("SIZE");
            if (pinned) {
                header.add("PINNED");
            }
            table.addRow(header);
        }
        for (Image image : images) {
            if (quiet) {
                sb.append(image.getId()).append('\n');
                continue;
            }
            if (!verbose) {
                String[] nameDigest = ImageNames.repoDigest(image.getRepoDigestsList());
                String repoDigest = nameDigest[1];
                String size = HumanUnits.humanSizeWithPrecision(HumanUnits.unsignedToDouble(image.getSize()), 3);
                String id = image.getId();
                if (!noTrunc) {
                    id = GoStrings.truncateId(id, "sha256:");
                    repoDigest = GoStrings.truncateId(repoDigest, "sha256:");
                }
                for (String[] pair : ImageNames.repoTagPairs(image.getRepoTagsList(), nameDigest[0])) {
                    List<String> row = new ArrayList<>(List.of(pair[0], pair[1]));
                    if (digests) {
                        row.add(repoDigest);
                    }
                    row.add(id);
                    row.add(size);
                    if (pinned) {
                        row.add(Boolean.toString(image.getPinned()));
                    }
                    table.addRow(row);
                }
                continue;
            }
            sb.append("ID: ").append(image.getId()).append('\n');
            for (String tag : image.getRepoTagsList()) {
                sb.append("RepoTags: ").append(tag).append('\n');
            }
            for (String d : image.getRepoDigestsList()) {
                sb.append("RepoDigests: ").append(d).append('\n');
            }
            if (image.getSize() != 0) {
                sb.append("Size: ").append(Long.toUnsignedString(image.getSize())).append('\n');
            }
            if (image.hasUid()) {
                // %v of gogo's *Int64Value prints its String()
                sb.append("Uid: &Int64Value{Value:").append(image.getUid().getValue()).append(",}\n");
            }
            if (!image.getUsername().isEmpty()) {
                sb.append("Username: ").append(image.getUsername()).append('\n');
            }
            if (image.getPinned()) {
                sb.append("Pinned: true\n");
            }
            sb.append('\n');
        }
        sb.append(table.render());
        return sb.toString();
    }
}
