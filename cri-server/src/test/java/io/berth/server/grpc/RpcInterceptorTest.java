package io.berth.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.cri.v1.CreateContainerRequest;
import io.berth.cri.v1.CreateContainerResponse;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.PullImageRequest;
import io.berth.cri.v1.PullImageResponse;
import io.berth.cri.v1.StopPodSandboxRequest;
import io.berth.cri.v1.VersionRequest;
import org.junit.jupiter.api.Test;

class RpcInterceptorTest {
  @Test
  void theSubjectIsReadFromTheCriIdFieldsOfRequestAndResponse() {
    RpcInterceptor.RpcSubject create = new RpcInterceptor.RpcSubject();
    create.take(CreateContainerRequest.newBuilder().setPodSandboxId("pod-1").build());
    create.take(CreateContainerResponse.newBuilder().setContainerId("ctr-1").build());
    assertEquals("pod-1", create.pod);
    assertEquals("ctr-1", create.container);
    assertNull(create.image);

    RpcInterceptor.RpcSubject stop = new RpcInterceptor.RpcSubject();
    stop.take(StopPodSandboxRequest.newBuilder().setPodSandboxId("pod-2").build());
    assertEquals("pod-2", stop.pod);
  }

  @Test
  void anImageIsNamedByItsSpecAndOtherwiseByTheRefAPullReturns() {
    RpcInterceptor.RpcSubject pull = new RpcInterceptor.RpcSubject();
    pull.take(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage("busybox:1.36")).build());
    pull.take(PullImageResponse.newBuilder().setImageRef("sha256:abc").build());
    assertEquals("busybox:1.36", pull.image);

    RpcInterceptor.RpcSubject refOnly = new RpcInterceptor.RpcSubject();
    refOnly.take(PullImageRequest.getDefaultInstance());
    refOnly.take(PullImageResponse.newBuilder().setImageRef("sha256:abc").build());
    assertEquals("sha256:abc", refOnly.image);
  }

  @Test
  void messagesWithoutIdsAndOtherObjectsLeaveTheSubjectEmpty() {
    RpcInterceptor.RpcSubject s = new RpcInterceptor.RpcSubject();
    s.take(VersionRequest.newBuilder().setVersion("v1").build());
    s.take("not a message");
    s.take(CreateContainerRequest.getDefaultInstance());
    assertNull(s.pod);
    assertNull(s.container);
    assertNull(s.image);
  }
}
