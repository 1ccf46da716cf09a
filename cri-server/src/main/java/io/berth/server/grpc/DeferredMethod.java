package io.berth.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * One CRI RPC as berthd serves it: its name and type come from api.proto's descriptor, and the
 * generated method (the grpc-java {@code getXxxMethod()}, whose marshallers hold the request's and
 * the response's default instances) is looked up only when the RPC first carries a message.
 *
 * <p>Why: the generated {@code getServiceDescriptor()} builds every method of the service at once,
 * which loads and initialises the request and response classes of all ~45 CRI RPCs (about 240
 * classes) before berthd can answer its first Version. Served this way, a start loads the
 * messages of the RPCs that are called, and an RPC kubelet never calls costs nothing.
 */
final class DeferredMethod<Q, R> {
  private final String fullMethodName;
  private final Supplier<MethodDescriptor<Q, R>> generated;
  private volatile MethodDescriptor<Q, R> resolved;

  DeferredMethod(String fullMethodName, Supplier<MethodDescriptor<Q, R>> generated) {
    this.fullMethodName = fullMethodName;
    this.generated = generated;
  }

  /** The descriptor the server registers: marshallers that delegate to the generated ones. */
  MethodDescriptor<Q, R> descriptor(MethodType type) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(type)
        .setFullMethodName(fullMethodName)
        .setRequestMarshaller(delegatingTo(() -> generated().getRequestMarshaller()))
        .setResponseMarshaller(delegatingTo(() -> generated().getResponseMarshaller()))
        .build();
  }

  private static <T> Marshaller<T> delegatingTo(Supplier<Marshaller<T>> target) {
    return new Marshaller<>() {
      @Override
      public InputStream stream(T value) {
        return target.get().stream(value);
      }

      @Override
      public T parse(InputStream stream) {
        return target.get().parse(stream);
      }
    };
  }

  /**
   * The generated method, checked once against the name it was registered under: a registration
   * that pairs an RPC name with another RPC's generated method would otherwise parse one
   * message type as another.
   */
  MethodDescriptor<Q, R> generated() {
    MethodDescriptor<Q, R> m = resolved;
    if (m == null) {
      m = generated.get();
      if (!m.getFullMethodName().equals(fullMethodName)) {
        throw new IllegalStateException(fullMethodName + " was registered with the generated method of "
            + m.getFullMethodName());
      }
      resolved = m;
    }
    return m;
  }
}
