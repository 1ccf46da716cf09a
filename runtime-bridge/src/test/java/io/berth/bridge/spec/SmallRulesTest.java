package io.berth.bridge.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.Signal;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmallRulesTest {

  @Test
  void stopSignalPrecedence() {
    ImageConfig withSignal = new ImageConfig(List.of(), List.of(), List.of(), "", "", "SIGQUIT");
    assertEquals(15, StopSignal.resolve(ContainerConfig.getDefaultInstance(), ImageConfig.empty()));
    assertEquals(3, StopSignal.resolve(ContainerConfig.getDefaultInstance(), withSignal));
    assertEquals(10, StopSignal.resolve(ContainerConfig.newBuilder().setStopSignal(Signal.SIGUSR1).build(), withSignal));
    assertEquals(37, StopSignal.resolve(ContainerConfig.newBuilder().setStopSignal(Signal.SIGRTMINPLUS3).build(), withSignal));
    assertEquals(62, StopSignal.resolve(ContainerConfig.newBuilder().setStopSignal(Signal.SIGRTMAXMINUS2).build(), withSignal));
  }

  @Test
  void stopSignalSpellings() {
    assertEquals(15, StopSignal.parse("TERM", "f"));
    assertEquals(9, StopSignal.parse("9", "f"));
    assertEquals(2, StopSignal.parse("sigint", "f"));
    assertEquals(38, StopSignal.parse("SIGRTMIN+4", "f"));
    assertEquals(63, StopSignal.parse("SIGRTMAX-1", "f"));
    assertThrows(StatusRuntimeException.class, () -> StopSignal.parse("SIGNOPE", "f"));
    assertThrows(StatusRuntimeException.class, () -> StopSignal.parse("99", "f"));
  }

  @Test
  void kernelVersions() {
    assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v595"));
    assertEquals(new KernelVersion(4, 8), KernelVersion.parse("4.8"));
    assertEquals(new KernelVersion(5, 0), KernelVersion.parse("5"));
    assertTrue(new KernelVersion(6, 1).compareTo(new KernelVersion(4, 8)) > 0);
  }

  @Test
  void capabilityMasks() {
    assertEquals(Set.of("CAP_CHOWN", "CAP_KILL"), Capabilities.fromMask(0b100001));
    Set<String> thisVm = Capabilities.fromMask(0x1fffeffffffL);
    assertFalse(thisVm.contains("CAP_SYS_RESOURCE"));
    assertEquals(Capabilities.ALL.size() - 1, thisVm.size());
  }

  @Test
  void probingThisHostFindsTheBasics() {
    HostFacts facts = HostFacts.probe();
    assertTrue(facts.boundingCapabilities().contains("CAP_CHOWN"));
    assertFalse(facts.arch().isEmpty());
    assertTrue(facts.kernel().major() >= 4);
  }
}
