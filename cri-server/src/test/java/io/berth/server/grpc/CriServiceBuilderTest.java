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
