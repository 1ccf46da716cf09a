package io.berth.cli.bench;

import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.RpcErrors;
import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.function.Function;

/** The stubs a scenario calls, each call with the bench's own deadline and errors named by RPC. */
final class BenchRpc {
    private final CriConnection runtime;
    private final CriConnection image;
    private final Duration deadline;

    BenchRpc(CriConnection runtime, CriConnection image, Duration deadline) {
        this.runtime = runtime;
        this.image = image;
        this.deadline = deadline;
    }

    <T> T runtime(String rpc, Function<RuntimeServiceGrpc.RuntimeServiceBlockingStub, T> call) {
        try {
            return call.apply(runtime.runtime(deadline));
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(rpc + ": " + RpcErrors.describe(e, runtime.endpoint()), e);
        }
    }

    <T> T image(String rpc, Function<ImageServiceGrpc.ImageServiceBlockingStub, T> call) {
        try {
            return call.apply(image.image(deadline));
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(rpc + ": " + RpcErrors.describe(e, image.endpoint()), e);
        }
    }
}
