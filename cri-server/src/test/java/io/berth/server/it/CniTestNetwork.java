package io.berth.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A CNI network for one test class: a conflist with Debian's bridge (its own bridge name and
 * subnet, ipMasq off), host-local IPAM with its data in the test's temp dir, and portmap. close()
 * deletes the bridge the plugin created.
 */
final class CniTestNetwork implements AutoCloseable {
  final Path confDir;
  final Path ipamDir;
  final String bridge;
  final String subnetPrefix;
  final String name;

  CniTestNetwork(Path dir, String name, String bridge, String subnetPrefix) throws IOException {
    this.confDir = Files.createDirectories(dir.resolve("net.d"));
    this.ipamDir = dir.resolve("ipam");
    this.bridge = bridge;
    this.subnetPrefix = subnetPrefix;
    this.name = name;
    Files.writeString(confDir.resolve("10-" + name + ".conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name
        + "\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"" + bridge + "\",\"isGateway\":true,\"ipMasq\":false,"
        + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"" + subnetPrefix + "0/24\"}]],\"dataDir\":\""
        + ipamDir + "\"}},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
  }

  /** The berthd config lines that select this network. */
  String toml() {
    return "[cni]\nconf_dir = \"" + confDir + "\"";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
