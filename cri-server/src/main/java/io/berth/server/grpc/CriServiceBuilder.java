package io.berth.server.grpc;

import com.google.protobuf.Descriptors;
import io.berth.cri.v1.CriApiProto;
import io.berth.server.log.StructuredLogger;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Assembles a gRPC service (RuntimeService or ImageService) from per-RPC handlers, so each feature
 * registers only its own RPCs, one line each, instead of one class implementing the whole service.
 * Every RPC nobody registered answers UNIMPLEMENTED naming the RPC.
 *
 * <p>The service's RPCs are read from api.proto's descriptor, and each RPC's generated grpc-java
 * method is resolved on its first message ({@link DeferredMethod}): building a service loads no
 * request or response class.
 */
public final class CriServiceBuilder {
  private static final StructuredLogger LOG = StructuredLogger.get(CriServiceBuilder.class);

  private final Descriptors.ServiceDescriptor service;
  private final Map<String, Registered<?, ?>> methods = new LinkedHashMap<>();

  private record Registered<Q, R>(DeferredMethod<Q, R> method, ServerCallHandler<Q, R> call) {
    ServerMethodDefinition<Q, R> definition() {
      return ServerMethodDefinition.create(method.descriptor(MethodType.UNARY), call);
    }
  }

  private CriServiceBuilder(Descriptors.ServiceDescriptor service) {
    this.service = service;
  }

  /** runtime.v1.RuntimeService. */
  public static CriServiceBuilder runtimeService() {
    return new CriServiceBuilder(CriApiProto.getDescriptor().findServiceByName("RuntimeService"));
  }

  /** runtime.v1.ImageService. */
  public static CriServiceBuilder imageService() {
    return new CriServiceBuilder(CriApiProto.getDescriptor().findServiceByName("ImageService"));
  }

  /**
   * Serves the unary RPC {@code rpc} (its name in api.proto, e.g. "Version") with {@code handler}.
   * {@code generated} is its grpc-java method ({@code RuntimeServiceGrpc::getVersionMethod}); it is
   * called on the RPC's first message, and must name the same RPC.
   */
  public <Q, R> CriServiceBuilder unary(String rpc, Supplier<MethodDescriptor<Q, R>> generated,
      UnaryHandler<Q, R> handler) {
    Descriptors.MethodDescriptor m = service.findMethodByName(rpc);
    if (m == null) {
      throw new IllegalArgumentException(rpc + " is not an RPC of " + service.getFullName());
    }
    if (m.isClientStreaming() || m.isServerStreaming()) {
      throw new IllegalArgumentException(fullName(m) + " is a streaming RPC, not a unary one");
    }
    ServerCallHandler<Q, R> call = ServerCalls.asyncUnaryCall((Q request, StreamObserver<R> out) -> {
      R response;
      try {
        response = handler.handle(request);
      } catch (StatusRuntimeException e) {
        out.onError(e);
        return;
      } catch (Exception | LinkageError | AssertionError e) {
        LOG.error("rpc failed", e, "rpc", rpc);
        out.onError(Status.INTERNAL.withDescription(rpc + ": " + e).withCause(e).asRuntimeException());
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
    Registered<Q, R> registered = new Registered<>(new DeferredMethod<>(fullName(m), generated), call);
    if (methods.putIfAbsent(rpc, registered) != null) {
      throw new IllegalStateException(fullName(m) + " registered twice");
    }
    return this;
  }

  /** The service; every RPC nobody registered answers UNIMPLEMENTED naming the RPC. */
  public ServerServiceDefinition build() {
    return build(m -> Status.UNIMPLEMENTED.withDescription(fullName(m) + " is not implemented by berth"));
  }

  /**
   * The service as served while berthd restores its state at start-up: the registered RPCs work,
   * every other one answers UNAVAILABLE (which kubelet and crictl retry) with {@code why}.
   */
  public ServerServiceDefinition buildWhileStarting(String why) {
    return build(m -> Status.UNAVAILABLE.withDescription(m.getName() + ": " + why));
  }

  private ServerServiceDefinition build(Function<Descriptors.MethodDescriptor, Status> otherwise) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getFullName());
    for (Descriptors.MethodDescriptor m : service.getMethods()) {
      Registered<?, ?> registered = methods.get(m.getName());
      if (registered != null) {
        b.addMethod(registered.definition());
      } else {
        b.addMethod(refusing(m, otherwise.apply(m)));
      }
    }
    return b.build();
  }

  /**
   * An RPC answered with {@code status} before any message is read: its marshallers are never
   * used, so its generated method (and message classes) are never loaded.
   */
  private static ServerMethodDefinition<Object, Object> refusing(Descriptors.MethodDescriptor m, Status status) {
    MethodType type = m.isClientStreaming()
        ? (m.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING)
        : (m.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY);
    DeferredMethod<Object, Object> never = new DeferredMethod<>(fullName(m), () -> {
      throw new IllegalStateException(fullName(m) + " is refused before its messages are read");
    });
    ServerCallHandler<Object, Object> call = (serverCall, headers) -> {
      serverCall.close(status, new io.grpc.Metadata());
      return new io.grpc.ServerCall.Listener<>() {};
    };
    return ServerMethodDefinition.create(never.descriptor(type), call);
  }

  private static String fullName(Descriptors.MethodDescriptor m) {
    return MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName());
  }
}
