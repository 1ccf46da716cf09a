package io.berth.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import io.grpc.ServerServiceDefinition;
import org.junit.jupiter.api.Test;

class CriServiceBuilderTest {
  @Test
  void everyMethodOfTheServiceIsServed() {
    ServerServiceDefinition def = new CriServiceBuilder(RuntimeServiceGrpc.getServiceDescriptor())
        .unary(RuntimeServiceGrpc.getVersionMethod(), r -> VersionResponse.getDefaultInstance())
        .build();
    assertEquals(RuntimeServiceGrpc.getServiceDescriptor().getMethods().size(), def.getMethods().size());
  }

  @Test
  void whileStartingUnregisteredRpcsAreUnavailableNotUnimplemented() {
    CriServiceBuilder b = new CriServiceBuilder(RuntimeServiceGrpc.getServiceDescriptor())
        .unary(RuntimeServiceGrpc.getVersionMethod(), r -> VersionResponse.getDefaultInstance());
    assertEquals(io.grpc.Status.Code.UNAVAILABLE,
        closeStatus(b.buildWhileStarting("restoring"), RuntimeServiceGrpc.getListPodSandboxMethod()).getCode());
    assertTrue(closeStatus(b.buildWhileStarting("restoring"), RuntimeServiceGrpc.getListPodSandboxMethod())
        .getDescription().contains("ListPodSandbox: restoring"));
    io.grpc.Status later = closeStatus(b.build(), RuntimeServiceGrpc.getCheckpointContainerMethod());
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, later.getCode());
    assertTrue(later.getDescription().contains("runtime.v1.RuntimeService/CheckpointContainer"));
  }

  /** Starts a call on the method's handler with a recording ServerCall and returns how it was closed. */
  @SuppressWarnings("unchecked")
  private static <Q, R> io.grpc.Status closeStatus(ServerServiceDefinition def, io.grpc.MethodDescriptor<Q, R> m) {
    io.grpc.Status[] closed = new io.grpc.Status[1];
    io.grpc.ServerCall<Q, R> call = new io.grpc.ServerCall<>() {
      @Override public void request(int n) {}
      @Override public void sendHeaders(io.grpc.Metadata h) {}
      @Override public void sendMessage(R message) {}
      @Override public void close(io.grpc.Status status, io.grpc.Metadata trailers) {
        closed[0] = status;
      }
      @Override public boolean isCancelled() {
        return false;
      }
      @Override public io.grpc.MethodDescriptor<Q, R> getMethodDescriptor() {
        return m;
      }
    };
    ((io.grpc.ServerMethodDefinition<Q, R>) def.getMethod(m.getFullMethodName())).getServerCallHandler()
        .startCall(call, new io.grpc.Metadata());
    return closed[0];
  }

  @Test
  void refusesForeignAndDuplicateMethods() {
    CriServiceBuilder b = new CriServiceBuilder(ImageServiceGrpc.getServiceDescriptor());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.unary(RuntimeServiceGrpc.getVersionMethod(), (VersionRequest r) -> VersionResponse.getDefaultInstance()));
    assertTrue(e.getMessage().contains("runtime.v1.RuntimeService/Version"), e.getMessage());
    CriServiceBuilder r = new CriServiceBuilder(RuntimeServiceGrpc.getServiceDescriptor())
        .unary(RuntimeServiceGrpc.getVersionMethod(), q -> VersionResponse.getDefaultInstance());
    assertThrows(IllegalStateException.class,
        () -> r.unary(RuntimeServiceGrpc.getVersionMethod(), q -> VersionResponse.getDefaultInstance()));
  }
}
