package io.berth.server.image;

import static io.berth.server.image.ImageItSupport.pull;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.testing.BerthExtension;
import io.berth.testing.BerthdProcess;
import io.berth.testing.BuiltImage;
import io.berth.testing.HostRequirements.Requirement;
import io.berth.testing.ImageBuilder;
import io.berth.testing.LayerEntry;
import io.berth.testing.ManifestFormat;
import io.berth.testing.RegistryFixture;
import io.berth.testing.RequiresHost;
import io.berth.testing.TempDirs;
import io.berth.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not a test (no timing is asserted): a cold pull of a ~200 MB, 8-layer image from
 * docker-registry on loopback by berthd (launched with deploy/bin/berthd's JVM flags), compared in
 * the same run with {@code skopeo copy} of the same image to a directory, {@code skopeo copy} to an
 * OCI layout plus {@code umoci unpack}, and (when installed) a private containerd 1.6's
 * {@code ctr images pull}. Prints a Markdown table
 * and writes it to target/image-pull-bench.md. Run it explicitly:
 *
 * <pre>
 * mvn -B -o -pl cri-server verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ImagePullBenchmark [-Dberth.bench.runs=3]
 * </pre>
 *
 * The image is synthetic and seeded, so every run pulls the same bytes: each layer holds 1 MiB
 * files, 40% random bytes and 60% text made of words, which gzips about 1.8:1 like real binaries.
 */
@ExtendWith(BerthExtension.class)
@RequiresHost({Requirement.ROOT, Requirement.DOCKER_REGISTRY, Requirement.SKOPEO})
class ImagePullBenchmark {
  private static final int LAYERS = 8;
  private static final int FILES_PER_LAYER = 36;
  private static final int FILE_BYTES = 1 << 20;
  /** deploy/bin/berthd's flags. */
  private static final String[] BERTHD_JVM = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms8m", "-Xmn4m",
      "-Xmx512m", "-Xss512k", "-XX:-UsePerfData", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m"};

  @Test
  void coldPullVersusSkopeo(TestImages images) throws Exception {
    int runs = Integer.getInteger("berth.bench.runs", 3);
    long buildStart = System.nanoTime();
    BuiltImage img = build(images);
    long compressed = img.layers().stream().mapToLong(l -> l.size()).sum();
    System.out.printf("built %d layers, %.1f MB compressed in %.1f s%n", img.layers().size(), compressed / 1e6,
        (System.nanoTime() - buildStart) / 1e9);
    List<double[]> berth = new ArrayList<>();
    List<Double> skopeo = new ArrayList<>();
    List<Double> umoci = new ArrayList<>();
    List<Double> containerd = new ArrayList<>();
    boolean haveContainerd = Files.isExecutable(Path.of("/usr/bin/containerd")) && Files.isExecutable(Path.of("/usr/bin/ctr"));
    try (RegistryFixture registry = RegistryFixture.startPlain()) {
      registry.pusher(images.blobs()).pushImage("bench", "v1", img, ManifestFormat.OCI);
      String ref = registry.reference("bench:v1");
      for (int i = 0; i < runs; i++) {
        // alternate, so neither side always runs with warmer caches
        skopeo.add(skopeoCopy(ref));
        berth.add(berthPull(registry, ref, img.id()));
        umoci.add(skopeoOciThenUmociUnpack(ref));
        if (haveContainerd) {
          containerd.add(containerdPull(ref));
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Cold pull of an %d-layer image, %.0f MB compressed (%d files of 1 MiB, "
        + "gzip), docker-registry on 127.0.0.1, %d runs, %s cores:%n%n", LAYERS, compressed / 1e6,
        LAYERS * FILES_PER_LAYER, runs, Runtime.getRuntime().availableProcessors()));
    md.append("| tool | median s | min s | max s | MB/s (median) | RSS before / peak MB |\n|---|---|---|---|---|---|\n");
    md.append(row("berthd PullImage (download, verify, unpack)", berth.stream().map(r -> r[0]).toList(), compressed,
        String.format(Locale.ROOT, "%.0f / %.0f", berth.stream().mapToDouble(r -> r[2]).max().orElse(0),
            berth.stream().mapToDouble(r -> r[1]).max().orElse(0))));
    md.append(row("skopeo copy docker:// dir: (download, verify)", skopeo, compressed, "-"));
    md.append(row("skopeo copy docker:// oci: + umoci unpack (download, verify, unpack)", umoci, compressed, "-"));
    if (haveContainerd) {
      md.append(row("containerd 1.6 `ctr images pull` (download, verify, unpack to overlayfs)", containerd, compressed, "-"));
    }
    md.append(String.format(Locale.ROOT, "%nload average at the end: %s%n",
        Files.readString(Path.of("/proc/loadavg")).strip()));
    System.out.println(md);
    Files.writeString(Path.of("target/image-pull-bench.md"), md.toString());
  }

  private static String row(String tool, List<Double> secs, long bytes, String rss) {
    List<Double> s = new ArrayList<>(secs);
    s.sort(null);
    double median = s.get(s.size() / 2);
    return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.0f | %s |%n", tool, median, s.get(0),
        s.get(s.size() - 1), bytes / 1e6 / median, rss);
  }

  /** Seconds for PullImage on a fresh berthd (empty store), and berthd's peak RSS in MB. */
  private static double[] berthPull(RegistryFixture registry, String ref, String id) throws IOException {
    String[] jvm = System.getProperty("berth.bench.jvm") == null ? BERTHD_JVM
        : System.getProperty("berth.bench.jvm").split(" ");
    try (BerthdProcess berthd = BerthdProcess.builder().logLevel("info").jvmArgs(jvm).start()) {
      warmUp(berthd, registry.reference("bench:no-such-tag"));
      double before = statusKb(berthd.pid(), "VmRSS") / 1024.0;
      long start = System.nanoTime();
      String got = pull(berthd, ref);
      double secs = (System.nanoTime() - start) / 1e9;
      assertEquals(id, got);
      double rss = statusKb(berthd.pid(), "VmHWM") / 1024.0;
      System.out.printf(Locale.ROOT, "berthd pull %.2f s, RSS %.0f MB before, peak %.0f MB%n", secs, before, rss);
      return new double[] {secs, rss, before};
    }
  }

  /** A first pull that fails fast (unknown tag), so class loading is not counted in the timed pull. */
  private static void warmUp(BerthdProcess berthd, String ref) {
    try {
      pull(berthd, ref);
    } catch (io.grpc.StatusRuntimeException expected) {
      // not found: the point was to load the pull path
    }
  }

  private static double skopeoCopy(String ref) throws IOException, InterruptedException {
    Path dir = TempDirs.create("skopeo-bench-");
    try {
      long start = System.nanoTime();
      Process p = new ProcessBuilder("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
          "dir:" + dir.resolve("image")).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("skopeo copy failed: " + out);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "skopeo copy %.2f s%n", secs);
      return secs;
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }

  /** The same work as berthd's pull with stock tools: download and verify into an OCI layout, then unpack. */
  private static double skopeoOciThenUmociUnpack(String ref) throws IOException, InterruptedException {
    Path dir = TempDirs.create("umoci-bench-");
    try {
      long start = System.nanoTime();
      run("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci:" + dir.resolve("layout") + ":v1");
      run("umoci", "unpack", "--image", dir.resolve("layout") + ":v1", dir.resolve("bundle").toString());
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "skopeo + umoci unpack %.2f s%n", secs);
      return secs;
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }

  /**
   * A private containerd (own root, state and socket under a temp dir, CRI plugin off, overlayfs
   * snapshotter) started for one cold pull with {@code ctr images pull}, then stopped by its PID.
   */
  private static double containerdPull(String ref) throws IOException, InterruptedException {
    Path dir = TempDirs.create("ctrd-bench-");
    Process daemon = null;
    try {
      Path sock = dir.resolve("c.sock");
      Files.writeString(dir.resolve("config.toml"), "version = 2\nroot = \"" + dir.resolve("root") + "\"\n"
          + "state = \"" + dir.resolve("state") + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
          + "[grpc]\n  address = \"" + sock + "\"\n[ttrpc]\n  address = \"" + sock + ".ttrpc\"\n");
      daemon = new ProcessBuilder("/usr/bin/containerd", "--config", dir.resolve("config.toml").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.exists(sock)) {
        if (System.nanoTime() > deadline || !daemon.isAlive()) {
          throw new IOException("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
        }
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      run("/usr/bin/ctr", "-a", sock.toString(), "-n", "bench", "images", "pull", "--plain-http", ref);
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "containerd ctr pull %.2f s%n", secs);
      return secs;
    } finally {
      if (daemon != null) {
        daemon.destroy();
        if (!daemon.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          daemon.destroyForcibly().waitFor();
        }
      }
      TempDirs.unmountAll(dir);
      TempDirs.deleteRecursively(dir);
    }
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
  }

  private static long statusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static BuiltImage build(TestImages images) {
    ImageBuilder b = images.newImage();
    for (int layer = 0; layer < LAYERS; layer++) {
      int l = layer;
      b.layer(lb -> {
        for (int f = 0; f < FILES_PER_LAYER; f++) {
          lb.file("/bench/layer" + l + "/file" + f + ".bin", 0644, new SyntheticContent(l * 1000L + f, FILE_BYTES));
        }
      });
    }
    return b.cmd("sh").build();
  }

  /** 40% random bytes then 60% words, seeded: generated while the layer is written. */
  private record SyntheticContent(long seed, long size) implements LayerEntry.Content {
    private static final String[] WORDS = words();

    private static String[] words() {
      SplittableRandom r = new SplittableRandom(7);
      String[] w = new String[4096];
      for (int i = 0; i < w.length; i++) {
        StringBuilder sb = new StringBuilder();
        int len = 3 + r.nextInt(9);
        for (int c = 0; c < len; c++) {
          sb.append((char) ('a' + r.nextInt(26)));
        }
        w[i] = sb.toString();
      }
      return w;
    }

    @Override
    public InputStream open() {
      SplittableRandom r = new SplittableRandom(seed);
      long randomPart = size * 4 / 10;
      byte[] text = textBlock(r, (int) (size - randomPart));
      return new InputStream() {
        long pos;

        @Override
        public int read() {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          if (pos >= size) {
            return -1;
          }
          int n = (int) Math.min(len, size - pos);
          for (int i = 0; i < n; i++, pos++) {
            b[off + i] = pos < randomPart ? (byte) r.nextInt(256) : text[(int) (pos - randomPart)];
          }
          return n;
        }
      };
    }

    private static byte[] textBlock(SplittableRandom r, int n) {
      StringBuilder sb = new StringBuilder(n + 16);
      while (sb.length() < n) {
        sb.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(12) == 0 ? '\n' : ' ');
      }
      return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }
  }
}
