package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.Session;
import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PullImageRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;

/** crictl's PullImageWithSandbox, shared by pull, create and run. */
final class ImagePulls {
    private ImagePulls() {
    }

    /**
     * Pulls {@code image}; returns the image ref. Failures are returned as the text crictl puts after
     * its context: gRPC errors as "rpc error: ...", except Unknown, whose message alone is kept.
     */
    static String pull(Session s, String context, String image, AuthConfig auth, PodSandboxConfig sandbox,
                       Map<String, String> annotations, Duration pullTimeout) {
        if (pullTimeout != null && pullTimeout.isNegative()) {
            throw new CliException(context + ": timeout should be bigger than 0");
        }
        PullImageRequest.Builder req = PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image).putAllAnnotations(annotations == null ? Map.of() : annotations));
        if (auth != null) {
            req.setAuth(auth);
        }
        if (sandbox != null) {
            req.setSandboxConfig(sandbox);
        }
        s.log().debug(() -> "PullImageRequest: " + com.google.protobuf.TextFormat.shortDebugString(req));
        String ref;
        try {
            Duration deadline = pullTimeout == null || pullTimeout.isZero() ? null : pullTimeout;
            ref = s.imageWithDeadline(deadline).pullImage(req.build()).getImageRef();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNKNOWN) {
                String d = e.getStatus().getDescription();
                throw new CliException(context + ": " + (d == null ? "" : d));
            }
            throw s.rpcFailure(context, e, true);
        }
        if (ref.isEmpty()) {
            throw new CliException(context + ": imageRef of image \"" + image + "\" is not set");
        }
        return ref;
    }
}
