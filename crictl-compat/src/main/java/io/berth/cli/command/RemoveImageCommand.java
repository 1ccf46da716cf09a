package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ImageStatusResponse;
import io.berth.cri.v1.ListContainersRequest;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.cri.v1.RemoveImageRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", description = "Remove one or more images")
public final class RemoveImageCommand extends CriCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all images")
    boolean all;

    @Option(names = {"-q", "--prune"}, description = "Remove all unused images")
    boolean prune;

    @Parameters(arity = "0..*", paramLabel = "IMAGE-ID")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        for (String id : args) {
            ids.put(id, true);
        }
        if (all || prune) {
            List<Image> images = imageRpc(s, "", () -> s.image().listImages(ListImagesRequest.getDefaultInstance()))
                    .getImagesList();
            for (Image img : images) {
                if (prune && img.getPinned()) {
                    s.log().debug("Excluding pinned container image: " + img.getId());
                    continue;
                }
                ids.put(img.getId(), true);
            }
        }
        if (prune) {
            List<Container> containers = rpc(s, "",
                    () -> s.runtime().listContainers(ListContainersRequest.getDefaultInstance())).getContainersList();
            for (Container c : containers) {
                String img = c.getImage().getImage();
                try {
                    ImageStatusResponse st = status(s, img);
                    ids.put(st.getImage().getId(), false);
                } catch (CliException e) {
                    s.log().error("image status request for " + q(img) + " failed: " + e.getMessage());
                }
            }
        }
        if (ids.isEmpty()) {
            if (all || prune) {
                s.log().info("No images to remove");
                return;
            }
            throw showHelp();
        }
        List<Aggregate.Step> steps = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : ids.entrySet()) {
            if (!e.getValue()) {
                continue;
            }
            String id = e.getKey();
            steps.add(() -> remove(s, id));
        }
        Aggregate.runAll(steps);
    }

    private void remove(Session s, String id) {
        ImageStatusResponse status;
        try {
            status = status(s, id);
        } catch (CliException e) {
            throw fail("image status request for " + q(id) + " failed: " + e.getMessage());
        }
        if (!status.hasImage()) {
            throw fail("no such image " + id);
        }
        try {
            s.image().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(id)).build());
        } catch (StatusRuntimeException ex) {
            if (!prune) {
                throw s.rpcFailure("error of removing image " + q(id), ex, true);
            }
            return; // races on prune are ignored, as crictl does
        }
        Image img = status.getImage();
        if (img.getRepoTagsCount() == 0) {
            for (String d : img.getRepoDigestsList()) {
                s.out().print("Deleted: " + d + "\n");
            }
            return;
        }
        for (String tag : img.getRepoTagsList()) {
            s.out().print("Deleted: " + tag + "\n");
        }
    }

    static ImageStatusResponse status(Session s, String image) {
        return imageRpc(s, "", () -> s.image().imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
    }
}
