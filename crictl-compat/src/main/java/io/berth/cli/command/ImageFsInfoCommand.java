package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.output.ProtoJson;
import io.berth.cli.output.StatusOutput;
import io.berth.cri.v1.FilesystemUsage;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ImageFsInfoResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "imagefsinfo", description = "Return image filesystem info")
public final class ImageFsInfoCommand extends CriCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|go-template|table")
    String output;

    @Option(names = "--template", defaultValue = "", description = "The template string is only used when output is go-template; The Template format is golang template")
    String template;

    @Override
    protected void run(Session s) {
        String format = output.isEmpty() ? "json" : output;
        ImageFsInfoResponse r = imageRpc(s, "image filesystem info request",
                () -> s.image().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
        if (format.equals("table")) {
            s.out().print(table(r));
            return;
        }
        s.out().print(StatusOutput.render(List.of(new StatusOutput.StatusData(ProtoJson.tree(r), null, null)),
                format, template));
    }

    static String table(ImageFsInfoResponse r) {
        StringBuilder sb = new StringBuilder();
        section(sb, "Container", r.getContainerFilesystemsList());
        section(sb, "Image", r.getImageFilesystemsList());
        return sb.toString();
    }

    private static void section(StringBuilder sb, String label, List<FilesystemUsage> filesystems) {
        sb.append(label).append(" Filesystem \n");
        for (int i = 0; i < filesystems.size(); i++) {
            FilesystemUsage u = filesystems.get(i);
            sb.append("TimeStamp[").append(i).append("]: ").append(u.getTimestamp()).append('\n');
            sb.append("Disk[").append(i).append("]: ")
                    .append(HumanUnits.humanSize(HumanUnits.unsignedToDouble(u.getUsedBytes().getValue()))).append('\n');
            sb.append("Inodes[").append(i).append("]: ").append(Long.toUnsignedString(u.getInodesUsed().getValue())).append('\n');
            sb.append("Mountpoint[").append(i).append("]: ").append(u.getFsId().getMountpoint()).append('\n');
        }
    }
}
