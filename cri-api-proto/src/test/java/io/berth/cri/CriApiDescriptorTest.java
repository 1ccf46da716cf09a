package io.berth.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.berth.cri.v1.CriApiProto;
import io.berth.cri.v1.ImageServiceGrpc;
import io.berth.cri.v1.RuntimeServiceGrpc;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Guards wire compatibility with kubelet and crictl: service names and every RPC of CRI v1. */
class CriApiDescriptorTest {

  private static final List<String> RUNTIME_RPCS = List.of(
      "Version", "RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus",
      "ListPodSandbox", "CreateContainer", "StartContainer", "StopContainer", "RemoveContainer",
      "ListContainers", "ContainerStatus", "UpdateContainerResources", "ReopenContainerLog",
      "ExecSync", "Exec", "Attach", "PortForward", "ContainerStats", "ListContainerStats",
      "PodSandboxStats", "ListPodSandboxStats", "UpdateRuntimeConfig", "Status",
      "CheckpointContainer", "GetContainerEvents", "ListMetricDescriptors",
      "ListPodSandboxMetrics", "RuntimeConfig", "UpdatePodSandboxResources");

  private static final List<String> IMAGE_RPCS = List.of(
      "ListImages", "ImageStatus", "PullImage", "RemoveImage", "ImageFsInfo");

  @Test
  void protoPackageIsRuntimeV1() {
    FileDescriptor file = CriApiProto.getDescriptor();
    assertEquals("runtime.v1", file.getPackage());
    assertEquals("runtime.v1.RuntimeService", RuntimeServiceGrpc.SERVICE_NAME);
    assertEquals("runtime.v1.ImageService", ImageServiceGrpc.SERVICE_NAME);
  }

  @Test
  void runtimeServiceHasEveryRpc() {
    assertRpcs("RuntimeService", RUNTIME_RPCS);
  }

  @Test
  void imageServiceHasEveryRpc() {
    assertRpcs("ImageService", IMAGE_RPCS);
  }

  @Test
  void wireFieldNumbersMatchUpstream() {
    // A few field numbers that kubelet relies on; a renumbering would silently corrupt the wire.
    var config = io.berth.cri.v1.ContainerConfig.getDescriptor();
    assertEquals(1, config.findFieldByName("metadata").getNumber());
    assertEquals(2, config.findFieldByName("image").getNumber());
    assertEquals(15, config.findFieldByName("linux").getNumber());
    var status = io.berth.cri.v1.PodSandboxStatus.getDescriptor();
    assertEquals(4, status.findFieldByName("created_at").getNumber());
    assertEquals(5, status.findFieldByName("network").getNumber());
  }

  private static void assertRpcs(String service, List<String> expected) {
    ServiceDescriptor descriptor = CriApiProto.getDescriptor().findServiceByName(service);
    assertNotNull(descriptor, service);
    List<String> actual = descriptor.getMethods().stream().map(m -> m.getName()).collect(Collectors.toList());
    for (String rpc : expected) {
      assertTrue(actual.contains(rpc), service + " lacks " + rpc + "; has " + actual);
    }
    assertEquals(expected.size(), actual.size(), service + " RPC count: " + actual);
  }
}
