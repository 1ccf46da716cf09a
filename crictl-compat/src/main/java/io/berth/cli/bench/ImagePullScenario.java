package io.berth.cli.bench;

import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.RemoveImageRequest;
import java.util.List;

/**
 * PullImage (and RemoveImage after it unless --keep-images), iterations spread over the given images.
 * With removal, concurrent workers pulling the same image would race: each worker then takes its own
 * image from the list (the command checks there are enough).
 */
final class ImagePullScenario implements BenchScenario {
    private final BenchRpc rpc;
    private final List<String> images;
    private final boolean remove;
    private final int concurrency;

    ImagePullScenario(BenchRpc rpc, List<String> images, boolean remove, int concurrency) {
        this.rpc = rpc;
        this.images = images;
        this.remove = remove;
        this.concurrency = concurrency;
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public List<String> phases() {
        return remove ? List.of("PullImage", "RemoveImage") : List.of("PullImage");
    }

    String imageFor(int worker, int index) {
        if (remove && concurrency > 1) {
            return images.get(worker % images.size());
        }
        return images.get(index % images.size());
    }

    @Override
    public void iteration(int worker, int index, PhaseRecorder recorder) {
        String image = imageFor(worker, index);
        String ref = recorder.time("PullImage", () -> rpc.image("PullImage", s -> s.pullImage(
                PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()))).getImageRef();
        if (remove) {
            recorder.time("RemoveImage", () -> rpc.image("RemoveImage", s -> s.removeImage(
                    RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build())));
        }
    }
}
