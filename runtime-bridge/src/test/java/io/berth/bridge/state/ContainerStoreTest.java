package io.berth.bridge.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.bridge.proc.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
  @Test
  void recordsRoundTripWithPidsAndStartTimes(@TempDir Path root) throws Exception {
    ContainerStore store = new ContainerStore(root);
    ContainerRecord rec = ContainerRecord.creating("abc", "app", "pod", "busybox", "crun", root.resolve("abc"),
        Path.of("/logs/app.log"), 15, 100)
        .launched(new ProcessIdentity(10, 1000), new ProcessIdentity(11, 1001))
        .started(200)
        .exited(3, 300, "Error");
    store.save(rec);
    assertEquals(rec, store.load("abc").orElseThrow());
    assertEquals(List.of(rec), store.loadAll());
    assertEquals(new ProcessIdentity(11, 1001), rec.init());
    assertEquals(new ProcessIdentity(10, 1000), rec.monitor());
    String json = Files.readString(root.resolve("abc/state.json"));
    assertTrue(json.contains("\"pidStartTime\" : 1001"), json);
    store.delete("abc");
    assertTrue(store.load("abc").isEmpty());
  }

  @Test
  void idsCannotEscapeTheRoot(@TempDir Path root) throws Exception {
    ContainerStore store = new ContainerStore(root);
    assertThrows(IllegalArgumentException.class, () -> store.dir("../x"));
    assertThrows(IllegalArgumentException.class, () -> store.dir(".."));
  }
}
