package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.output.ProtoJson;
import io.berth.cli.output.StatusOutput;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ImageStatusResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspecti", description = "Return the status of one or more images")
public final class InspectImageCommand extends CriCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|go-template|table")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "Do not show verbose information")
    boolean quiet;

    @Option(names = "--template", defaultValue = "", description = "The template string is only used when output is go-template; The Template format is golang template")
    String template;

    @Option(names = "--name", defaultValue = "", description = "Filter by image name")
    String name;

    @Option(names = {"-f", "--filter"}, split = ",", description = "Filter output based on provided conditions (see images --help)")
    List<String> filters = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "IMAGE-ID")
    List<String> ids = new ArrayList<>();

    @Override
    protected void run(Session s) {
        boolean verbose = !quiet;
        String format = output.isEmpty() ? "json" : output;
        List<String> targets = new ArrayList<>(ids);
        if (targets.isEmpty()) {
            for (Image img : ImageListing.list(s, name, filters)) {
                targets.add(img.getId());
            }
        }
        if (targets.isEmpty()) {
            s.log().error("No IDs provided or nothing found per filter");
            throw showHelp();
        }
        List<StatusOutput.StatusData> statuses = new ArrayList<>();
        for (String id : targets) {
            ImageStatusResponse r = imageRpc(s, "image status for " + q(id) + " request",
                    () -> s.image().imageStatus(ImageStatusRequest.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(id)).setVerbose(verbose).build()));
            if (!r.hasImage()) {
                throw fail("no such image " + q(id) + " present");
            }
            if (format.equals("table")) {
                s.out().print(table(r, verbose));
            } else {
                statuses.add(new StatusOutput.StatusData(ProtoJson.tree(r.getImage()), null, r.getInfoMap()));
            }
        }
        s.out().print(StatusOutput.render(statuses, format, template));
    }

    static String table(ImageStatusResponse r, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        Image img = r.getImage();
        sb.append("ID: ").append(img.getId()).append('\n');
        for (String tag : img.getRepoTagsList()) {
            sb.append("Tag: ").append(tag).append('\n');
        }
        for (String d : img.getRepoDigestsList()) {
            sb.append("Digest: ").append(d).append('\n');
        }
        sb.append("Size: ").append(HumanUnits.humanSizeWithPrecision(HumanUnits.unsignedToDouble(img.getSize()), 3)).append('\n');
        if (verbose) {
            sb.append("Info: ").append(GoMaps.format(r.getInfoMap())).append('\n');
        }
        return sb.toString();
    }
}
