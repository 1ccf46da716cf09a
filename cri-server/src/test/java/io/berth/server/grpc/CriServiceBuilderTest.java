package io.berth.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import io.berth.cri.v1.StatusResponse;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CriServiceBuilderTest {
  @Test
  void everyMethodOfTheServiceIsServed() {
    ServerServiceDefinition def = CriServiceBuilder.runtimeService()
        .unary("Version", RuntimeServiceGrpc::getVersionMethod, r -> VersionResponse.getDefaultInstance())
        .build();
    assertEquals(RuntimeServiceGrpc.getServiceDescriptor().getMethods().size(), def.getMethods().size());
    for (MethodDescriptor<?, ?> m : RuntimeServiceGrpc.getServiceDescriptor().getMethods()) {
      MethodDescriptor<?, ?> served = def.getMethod(m.getFullMethodName()).getMethodDescriptor();
      assertEquals(m.getType(), served.getType(), m.getFullMethodName());
    }
    assertEquals(ImageServiceGrpc.getServiceDescriptor().getMethods().size(),
        CriServiceBuilder.imageService().build().getMethods().size());
  }

  @Test
  void whileStartingUnregisteredRpcsAreUnavailableNotUnimplemented() {
    CriServiceBuilder b = CriServiceBuilder.runtimeService()
        .unary("Version", RuntimeServiceGrpc::getVersionMethod, r -> VersionResponse.getDefaultInstance());
    io.grpc.Status starting = closeStatus(b.buildWhileStarting("restoring"), "runtime.v1.RuntimeService/ListPodSandbox");
    assertEquals(io.grpc.Status.Code.UNAVAILABLE, starting.getCode());
    assertTrue(starting.getDescription().contains("ListPodSandbox: restoring"), starting.getDescription());
    io.grpc.Status later = closeStatus(b.build(), "runtime.v1.RuntimeService/CheckpointContainer");
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, later.getCode());
    assertTrue(later.getDescription().contains("runtime.v1.RuntimeService/CheckpointContainer"));
  }

  @Test
  void theGeneratedMethodIsLookedUpOnTheFirstMessageOnly() {
    AtomicInteger lookups = new AtomicInteger();
    Supplier<MethodDescriptor<VersionRequest, VersionResponse>> generated = () -> {
      lookups.incrementAndGet();
      return RuntimeServiceGrpc.getVersionMethod();
    };
    ServerServiceDefinition def = CriServiceBuilder.runtimeService()
        .unary("Version", generated, r -> VersionResponse.getDefaultInstance())
        .build();
    assertEquals(0, lookups.get(), "building the service must not load the RPC's messages");
    @SuppressWarnings("unchecked")
    MethodDescriptor<VersionRequest, VersionResponse> served = (MethodDescriptor<VersionRequest, VersionResponse>)
        def.getMethod("runtime.v1.RuntimeService/Version").getMethodDescriptor();
    VersionRequest request = VersionRequest.newBuilder().setVersion("v1").build();
    assertEquals(request, served.parseRequest(served.streamRequest(request)));
    VersionResponse response = VersionResponse.newBuilder().setRuntimeName("berth").build();
    assertEquals(response, served.parseResponse(served.streamResponse(response)));
    assertEquals(1, lookups.get());
  }

  @Test
  void aNameRegisteredWithAnotherRpcsGeneratedMethodFailsOnItsFirstMessage() {
    ServerServiceDefinition def = CriServiceBuilder.runtimeService()
        .unary("Version", RuntimeServiceGrpc::getStatusMethod, r -> StatusResponse.getDefaultInstance())
        .build();
    MethodDescriptor<?, ?> served = def.getMethod("runtime.v1.RuntimeService/Version").getMethodDescriptor();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> served.parseRequest(VersionRequest.getDefaultInstance().toByteString().newInput()));
    assertTrue(e.getMessage().contains("runtime.v1.RuntimeService/Status"), e.getMessage());
  }

  @Test
  void refusesForeignStreamingAndDuplicateMethods() {
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
        () -> CriServiceBuilder.imageService().unary("Version", RuntimeServiceGrpc::getVersionMethod,
            (VersionRequest r) -> VersionResponse.getDefaultInstance()));
    assertTrue(foreign.getMessage().contains("Version is not an RPC of runtime.v1.ImageService"), foreign.getMessage());
    IllegalArgumentException streaming = assertThrows(IllegalArgumentException.class,
        () -> CriServiceBuilder.runtimeService().unary("GetContainerEvents",
            RuntimeServiceGrpc::getGetContainerEventsMethod, r -> null));
    assertTrue(streaming.getMessage().contains("streaming"), streaming.getMessage());
    CriServiceBuilder r = CriServiceBuilder.runtimeService()
        .unary("Version", RuntimeServiceGrpc::getVersionMethod, q -> VersionResponse.getDefaultInstance());
    assertThrows(IllegalStateException.class,
        () -> r.unary("Version", RuntimeServiceGrpc::getVersionMethod, q -> VersionResponse.getDefaultInstance()));
  }

  /** Starts a call on the method's handler with a recording ServerCall and returns how it was closed. */
  @SuppressWarnings("unchecked")
  private static <Q, R> io.grpc.Status closeStatus(ServerServiceDefinition def, String fullMethodName) {
    ServerMethodDefinition<Q, R> method = (ServerMethodDefinition<Q, R>) def.getMethod(fullMethodName);
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
      @Override public MethodDescriptor<Q, R> getMethodDescriptor() {
        return method.getMethodDescriptor();
      }
    };
    method.getServerCallHandler().startCall(call, new io.grpc.Metadata());
    return closed[0];
  }
}
