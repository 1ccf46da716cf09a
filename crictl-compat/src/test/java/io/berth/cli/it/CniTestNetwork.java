package io.berth.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A CNI network for one runtime under test: a conflist with Debian's bridge plugin (its own bridge
 * name and /24, ipMasq off so no nat chains are left behind), host-local IPAM with its data in the
 * test's temp dir, and portmap. close() deletes the bridge the plugin created.
 */
final class CniTestNetwork implements AutoCloseable {
    final Path confDir;
    final String bridge;
    final String subnetPrefix;

    CniTestNetwork(Path dir, String name, String bridge, String subnetPrefix) throws IOException {
        this.confDir = Files.createDirectories(dir.resolve("net.d"));
        this.bridge = bridge;
        this.subnetPrefix = subnetPrefix;
        Path ipamDir = dir.resolve("ipam");
        Files.writeString(confDir.resolve("10-" + name + ".conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name
                + "\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":\"" + bridge + "\",\"isGateway\":true,\"ipMasq\":false,"
                + "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"" + subnetPrefix + "0/24\"}]],\"dataDir\":\""
                + ipamDir + "\"}},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    }

    /** berthd's config lines that select this network. */
    String berthdToml() {
        return "[cni]\nconf_dir = \"" + confDir + "\"";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
