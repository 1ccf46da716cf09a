package io.berth.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.berth.server.log.StructuredLogger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Assembles a gRPC service (RuntimeService or ImageService) from per-RPC handlers, so each feature
 * registers only its own RPCs, one line each, instead of one class implementing the whole service.
 * Every RPC nobody registered answers UNIMPLEMENTED naming the RPC.
 */
public final class CriServiceBuilder {
  private static final StructuredLogger LOG = StructuredLogger.get(CriServiceBuilder.class);

  private final ServiceDescriptor descriptor;
  private final Map<String, ServerMethodDefinition<?, ?>> methods = new LinkedHashMap<>();

  public CriServiceBuilder(ServiceDescriptor descriptor) {
    this.descriptor = descriptor;
  }

  public <Q, R> CriServiceBuilder unary(MethodDescriptor<Q, R> method, UnaryHandler<Q, R> handler) {
    ServerCallHandler<Q, R> call = ServerCalls.asyncUnaryCall((Q request, StreamObserver<R> out) -> {
      R response;
      try {
        response = handler.handle(request);
      } catch (StatusRuntimeException e) {
        out.onError(e);
        return;
      } catch (Exception | LinkageError | AssertionError e) {
        LOG.error("rpc failed", e, "rpc", method.getBareMethodName());
        out.onError(Status.INTERNAL.withDescription(method.getBareMethodName() + ": " + e)
            .withCause(e).asRuntimeException());
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
    return register(method, call);
  }

  /** For streaming RPCs that need the raw gRPC call handler. */
  public <Q, R> CriServiceBuilder custom(MethodDescriptor<Q, R> method, ServerCallHandler<Q, R> call) {
    return register(method, call);
  }

  private <Q, R> CriServiceBuilder register(MethodDescriptor<Q, R> method, ServerCallHandler<Q, R> call) {
    if (!descriptor.getMethods().contains(method)) {
      throw new IllegalArgumentException(method.getFullMethodName() + " is not in " + descriptor.getName());
    }
    if (methods.putIfAbsent(method.getFullMethodName(), ServerMethodDefinition.create(method, call)) != null) {
      throw new IllegalStateException(method.getFullMethodName() + " registered twice");
    }
    return this;
  }

  /** The service; every RPC nobody registered answers UNIMPLEMENTED naming the RPC. */
  public ServerServiceDefinition build() {
    return build(m -> Status.UNIMPLEMENTED.withDescription(m.getFullMethodName() + " is not implemented by berth"));
  }

  /**
   * The service as served while berthd restores its state at start-up: the registered RPCs work,
   * every other one answers UNAVAILABLE (which kubelet and crictl retry) with {@code why}.
   */
  public ServerServiceDefinition buildWhileStarting(String why) {
    return build(m -> Status.UNAVAILABLE.withDescription(m.getBareMethodName() + ": " + why));
  }

  private ServerServiceDefinition build(java.util.function.Function<MethodDescriptor<?, ?>, Status> otherwise) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor);
    for (MethodDescriptor<?, ?> m : descriptor.getMethods()) {
      ServerMethodDefinition<?, ?> def = methods.get(m.getFullMethodName());
      if (def != null) {
        b.addMethod(def);
      } else {
        b.addMethod(refusing(m, otherwise.apply(m)));
      }
    }
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> refusing(MethodDescriptor<Q, R> m, Status status) {
    ServerCallHandler<Q, R> call = (serverCall, headers) -> {
      serverCall.close(status, new io.grpc.Metadata());
      return new io.grpc.ServerCall.Listener<Q>() {};
    };
    return ServerMethodDefinition.create(m, call);
  }
}
