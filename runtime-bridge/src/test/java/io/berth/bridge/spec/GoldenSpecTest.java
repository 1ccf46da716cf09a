package io.berth.bridge.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.KeyValue;
import io.berth.cri.v1.LinuxContainerResources;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.Mount;
import io.berth.cri.v1.SecurityProfile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Whole config.json files compared with reviewed expectations in src/test/resources/golden. On a
 * mismatch the actual JSON is written to target/golden-actual/ to diff against.
 */
class GoldenSpecTest {

  @Test
  void plainContainerInAPod() throws Exception {
    ContainerConfig config = Fixtures.container()
        .addArgs("echo").addArgs("hello")
        .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue(com.google.protobuf.ByteString.copyFromUtf8("hi")))
        .build();
    assertGolden("plain-container.json", new OciSpecBuilder(Fixtures.hostView())
        .build(config, Fixtures.sandbox(), Fixtures.image(), Fixtures.context()));
  }

  @Test
  void hardenedContainerWithMountsAndLimits() throws Exception {
    ContainerConfig.Builder b = Fixtures.container()
        .addCommand("/bin/sh").addArgs("-c").addArgs("sleep 1")
        .setWorkingDir("/work")
        .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath("/srv/data").setReadonly(true))
        .addMounts(Mount.newBuilder().setContainerPath("/data/cache").setHostPath("/srv/cache"));
    b.getLinuxBuilder()
        .setResources(LinuxContainerResources.newBuilder().setCpuShares(512).setCpuQuota(50000)
            .setCpuPeriod(100000).setMemoryLimitInBytes(64 << 20).setOomScoreAdj(-998))
        .setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setReadonlyRootfs(true).setNoNewPrivs(true)
            .setCapabilities(io.berth.cri.v1.Capability.newBuilder().addDropCapabilities("NET_RAW")
                .addAddCapabilities("SYS_TIME"))
            .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault)));
    FakeHostView host = Fixtures.hostView().path("/srv/data").path("/srv/cache");
    assertGolden("hardened-container.json", new OciSpecBuilder(host)
        .build(b.build(), Fixtures.sandbox(), Fixtures.image(), Fixtures.context()));
  }

  static void assertGolden(String name, Oci.Spec spec) throws Exception {
    // Through bytes, so numbers compare as the parser types them (IntNode, not LongNode).
    JsonNode actual = OciJson.mapper().readTree(OciJson.toBytes(spec));
    JsonNode expected;
    try (InputStream in = GoldenSpecTest.class.getResourceAsStream("/golden/" + name)) {
      expected = in == null ? null : OciJson.mapper().readTree(in);
    }
    if (!actual.equals(expected)) {
      Path out = Path.of("target/golden-actual", name);
      Files.createDirectories(out.getParent());
      Files.write(out, OciJson.toBytes(actual));
    }
    assertTrue(actual.equals(expected), "config.json differs from golden/" + name + "; see target/golden-actual/" + name);
  }
}
