package io.berth.server.grpc;

/**
 * One CRI RPC's logic: request in, response out. Bad input is reported by throwing
 * {@link io.grpc.StatusRuntimeException} with a code and a message naming the field; any other
 * exception becomes INTERNAL.
 */
@FunctionalInterface
public interface UnaryHandler<Q, R> {
  R handle(Q request) throws Exception;
}
