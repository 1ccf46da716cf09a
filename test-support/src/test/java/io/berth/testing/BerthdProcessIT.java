package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cri.v1.VersionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * BerthdProcess's plumbing without berthd: cri-server (which has BerthdMain) depends on this
 * module, so its classes are not on this module's class path. cri-server's own ITs run the real one.
 */
class BerthdProcessIT {

  @Test
  void aBerthdThatExitsFailsFastWithItsLogTail() {
    BerthdProcess b = BerthdProcess.builder().create();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
      assertTrue(e.getMessage().contains("exited with code 1 before answering Version"), e.getMessage());
      assertTrue(e.getMessage().contains("Could not find or load main class io.berth.server.BerthdMain"), e.getMessage());
      assertFalse(b.isRunning());
      assertEquals(1, b.exitCode().orElseThrow());
    } finally {
      b.close();
    }
    assertFalse(Files.exists(b.workDir()));
  }

  @Test
  void aBerthdThatNeverAnswersIsKilledAfterTheTimeoutAndItsOutputIsLogged() throws Exception {
    BerthdProcess b = BerthdProcess.builder()
        .mainClass(SleepingMain.class.getName())
        .startTimeout(Duration.ofSeconds(3))
        .create();
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
      assertTrue(e.getMessage().contains("did not answer Version on " + b.socket()), e.getMessage());
      assertTrue(e.getMessage().contains("sleeping main started with --config " + b.configFile()), e.getMessage());
      assertTrue(e.getMessage().contains("this line went to stderr"), e.getMessage());
      long pid = b.pid();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed after the timeout");
      assertEquals(137, b.exitCode().orElseThrow(), "SIGKILL");
      String log = Files.readString(b.logFile());
      assertTrue(log.startsWith("=== berthd start #1 at "), log);
    } finally {
      b.close();
    }
  }

  @Test
  void channelSpeaksToTheUnixSocketPath() {
    BerthdProcess b = BerthdProcess.builder().create();
    try {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> b.runtime()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .version(VersionRequest.newBuilder().setVersion("v1").build()));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
      // ENOENT from connect(2) on the socket path: the channel dialled the unix socket, not TCP
      assertTrue(e.getCause() instanceof java.io.FileNotFoundException, "cause: " + e.getCause());
      assertFalse(b.channel().isShutdown());
    } finally {
      b.close();
    }
  }

  @Test
  void closeRemovesLeftoverProcessesAndMountsAndSaysSo() throws Exception {
    HostRequirements.require(HostRequirements.Requirement.ROOT);
    BerthdProcess b = BerthdProcess.builder().create();
    Path mnt = Files.createDirectories(b.rootDir().resolve("leaked-mount"));
    Path marker = Files.writeString(b.stateDir().resolve("monitor.log"), "");
    Process monitor = new ProcessBuilder("tail", "-f", marker.toString()).start();
    Commands.check(List.of("mount", "-t", "tmpfs", "berth-test", mnt.toString()));
    Files.writeString(mnt.resolve("file"), "on the tmpfs");

    AssertionError e = assertThrows(AssertionError.class, b::close);
    assertTrue(e.getMessage().contains("process " + monitor.pid() + " "), e.getMessage());
    assertTrue(e.getMessage().contains("mount " + mnt), e.getMessage());
    assertTrue(monitor.waitFor(10, TimeUnit.SECONDS));
    assertTrue(TempDirs.mountsUnder(b.workDir()).isEmpty());
    assertFalse(Files.exists(b.workDir()));
  }
}
