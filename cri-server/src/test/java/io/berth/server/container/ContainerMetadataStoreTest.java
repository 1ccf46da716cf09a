package io.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerMetadata.Builder;
import io.berth.cri.v1.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMetadataStoreTest {
  @TempDir Path dir;

  private static ContainerConfig config() {
    Builder meta = io.berth.cri.v1.ContainerMetadata.newBuilder().setName("app").setAttempt(3);
    return ContainerConfig.newBuilder().setMetadata(meta).setImage(ImageSpec.newBuilder().setImage("busybox"))
        .putLabels("io.kubernetes.pod.name", "web-0").putAnnotations("note", "kept").build();
  }

  @Test
  void aStoredContainerIsReadBackByANewStore() throws Exception {
    ContainerMetadataStore store = new ContainerMetadataStore(dir);
    ContainerMetadata m = ContainerMetadata.of("c1", "p1", config(), "sha256:aa", "busybox@sha256:bb",
        List.of("sha256:cc"), "/var/log/pods/x/app/3.log", 1234L);
    store.put(m);

    ContainerMetadata back = new ContainerMetadataStore(dir).get("c1").orElseThrow();
    assertEquals(m, back);
    assertTrue(Files.readString(dir.resolve("c1.json")).contains("\"version\":2"));
  }

  @Test
  void fieldsThisBuildDoesNotKnowSurviveARestart() throws Exception {
    // A newer kubelet may send fields berth's api.proto does not have yet.
    ContainerConfig withUnknown = config().toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build()).build();
    new ContainerMetadataStore(dir).put(ContainerMetadata.of("c2", "p1", withUnknown, "i", "r", List.of(), "", 1L));

    ContainerConfig back = new ContainerMetadataStore(dir).get("c2").orElseThrow().config();
    assertEquals(List.of(42L), back.getUnknownFields().getField(999).getVarintList());
    assertEquals(withUnknown, back);
  }

  @Test
  void version1FilesWithProtoJsonAreStillRead() throws Exception {
    Files.writeString(dir.resolve("c3.json"), "{\"version\":1,\"id\":\"c3\",\"sandboxId\":\"p1\","
        + "\"configJson\":\"{\\\"metadata\\\":{\\\"name\\\":\\\"app\\\",\\\"attempt\\\":3},"
        + "\\\"image\\\":{\\\"image\\\":\\\"busybox\\\"},\\\"labels\\\":{\\\"io.kubernetes.pod.name\\\":\\\"web-0\\\"},"
        + "\\\"annotations\\\":{\\\"note\\\":\\\"kept\\\"}}\",\"imageId\":\"sha256:aa\",\"imageRef\":\"r\","
        + "\"chainIds\":[\"sha256:cc\"],\"logPath\":\"\",\"createdAt\":5}");

    ContainerMetadata m = new ContainerMetadataStore(dir).get("c3").orElseThrow();
    assertEquals(config(), m.config());
    assertEquals(List.of("sha256:cc"), m.chainIds());
    assertEquals(5L, m.createdAt());
  }

  @Test
  void deleteForgetsTheContainerAndItsFile() throws Exception {
    ContainerMetadataStore store = new ContainerMetadataStore(dir);
    store.put(ContainerMetadata.of("c4", "p1", config(), "i", "r", List.of(), "", 1L));
    store.delete("c4");
    assertTrue(store.get("c4").isEmpty());
    assertFalse(Files.exists(dir.resolve("c4.json")));
    assertTrue(new ContainerMetadataStore(dir).all().isEmpty());
  }
}
