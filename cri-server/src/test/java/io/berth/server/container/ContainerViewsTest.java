package io.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.bridge.state.ContainerRecord;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerFilter;
import io.berth.cri.v1.ContainerMetadata;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStateValue;
import io.berth.cri.v1.ContainerStatus;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerViewsTest {
  @TempDir Path dir;

  @Test
  void listItemAndStatusCarryWhatKubeletSent() throws Exception {
    Path log = Files.writeString(dir.resolve("termination-log"), "bye");
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(2))
        .setImage(ImageSpec.newBuilder().setImage("busybox"))
        .putLabels("io.kubernetes.pod.name", "web").putAnnotations("note", "n")
        .putAnnotations(ContainerViews.TERMINATION_MESSAGE_PATH, "/dev/termination-log")
        .addMounts(Mount.newBuilder().setHostPath(log.toString()).setContainerPath("/dev/termination-log"))
        .build();
    io.berth.server.container.ContainerMetadata m = io.berth.server.container.ContainerMetadata.of("c1", "p1", config,
        "sha256:aa", "docker.io/library/busybox@sha256:bb", List.of(), "/logs/app.log", 1);
    ContainerRecord exited = ContainerRecord.creating("c1", "app", "p1", "busybox", "crun", dir, dir.resolve("l"), 15, 100)
        .started(200).exited(3, 300, "Error");

    Container c = ContainerViews.container(exited, m);
    assertEquals(ContainerState.CONTAINER_EXITED, c.getState());
    assertEquals("sha256:aa", c.getImageRef(), "the list carries the image id, as containerd's does");
    assertEquals(2, c.getMetadata().getAttempt());

    ContainerStatus s = ContainerViews.status(exited, m);
    assertEquals(3, s.getExitCode());
    assertEquals("Error", s.getReason());
    assertEquals("bye", s.getMessage());
    assertEquals("docker.io/library/busybox@sha256:bb", s.getImageRef());
    assertEquals(List.of(100L, 200L, 300L), List.of(s.getCreatedAt(), s.getStartedAt(), s.getFinishedAt()));
    assertEquals("/logs/app.log", s.getLogPath());
  }

  @Test
  void filterMatchesIdPrefixPodStateAndLabels() {
    Container c = Container.newBuilder().setId("abcdef").setPodSandboxId("pod123")
        .setState(ContainerState.CONTAINER_RUNNING).putLabels("app", "web").build();
    assertTrue(ContainerViews.matches(c, ContainerFilter.getDefaultInstance()));
    assertTrue(ContainerViews.matches(c, ContainerFilter.newBuilder().setId("abc").setPodSandboxId("pod")
        .putLabelSelector("app", "web").build()));
    assertFalse(ContainerViews.matches(c, ContainerFilter.newBuilder().setId("abd").build()));
    assertFalse(ContainerViews.matches(c, ContainerFilter.newBuilder()
        .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED)).build()));
    assertFalse(ContainerViews.matches(c, ContainerFilter.newBuilder().putLabelSelector("app", "db").build()));
  }
}
