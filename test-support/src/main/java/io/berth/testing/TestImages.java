package io.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images berth's integration tests run, built on the fly from Debian packages and cached on
 * disk (default {@code /var/tmp/berth-test-images}, or {@code -Dberth.test.images.dir}), keyed by
 * the SHA-256 of the .deb files they come from, so a rerun finds them without any work.
 *
 * <ul>
 *   <li>{@link #busybox()}: Debian's dynamically linked busybox, every applet a hardlink at the
 *       path {@code busybox --list-full} gives, plus the glibc files it loads, {@code /etc/passwd}
 *       and {@code /etc/group} (root 0, www-data 33, users 100, berth 1000, nobody 65534), {@code /tmp}
 *       1777, {@code /root}, {@code /home/berth}, empty {@code /dev /proc /sys}. Cmd {@code ["sh"]}.
 *   <li>{@link #pause()}: {@code /catatonit} (Debian's, static), Entrypoint {@code ["/catatonit","-P"]},
 *       User {@code 65535:65535}.
 *   <li>{@link #arm64()}: a one-file linux/arm64/v8 image, only to be listed next to busybox in
 *       {@link #busyboxIndex} so tests can check platform selection.
 * </ul>
 * Other images: {@link #newImage()}.
 */
public final class TestImages {
  /** Bump when a recipe below changes, so cached images built by the old recipe are not reused. */
  private static final String RECIPE_VERSION = "1";

  public static final int BERTH_UID = 1000;
  public static final int BERTH_GID = 1000;
  public static final int WWW_DATA_UID = 33;
  public static final int USERS_GID = 100;
  public static final int NOBODY_UID = 65534;
  public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      www-data:x:33:33:www-data:/var/www:/bin/false
      berth:x:1000:1000:berth test user:/home/berth:/bin/sh
      nobody:x:65534:65534:nobody:/nonexistent:/bin/false
      """;
  private static final String GROUP = """
      root:x:0:
      www-data:x:33:
      users:x:100:berth
      berth:x:1000:
      nobody:x:65534:
      """;

  private final Path cacheDir;
  private final BlobStore blobs;
  private BuiltImage busybox;
  private BuiltImage pause;
  private BuiltImage arm64;

  private TestImages(Path cacheDir) {
    this.cacheDir = cacheDir;
    this.blobs = new BlobStore(cacheDir);
  }

  /** The shared cache: {@code -Dberth.test.images.dir}, else {@code /var/tmp/berth-test-images}. */
  public static TestImages openDefault() {
    return open(Path.of(System.getProperty("berth.test.images.dir", "/var/tmp/berth-test-images")));
  }

  public static TestImages open(Path cacheDir) {
    return new TestImages(cacheDir);
  }

  public Path cacheDir() {
    return cacheDir;
  }

  /** Where every image's blobs (configs, layers, manifests) live: {@code blobs/sha256/<hex>}. */
  public BlobStore blobs() {
    return blobs;
  }

  /** A builder for another image, stored with these. */
  public ImageBuilder newImage() {
    return new ImageBuilder(blobs);
  }

  public synchronized BuiltImage busybox() {
    if (busybox == null) {
      busybox = io("busybox", this::loadOrBuildBusybox);
    }
    return busybox;
  }

  public synchronized BuiltImage pause() {
    if (pause == null) {
      pause = io("pause", this::loadOrBuildPause);
    }
    return pause;
  }

  public synchronized BuiltImage arm64() {
    if (arm64 == null) {
      arm64 = newImage()
          .platform(Platform.LINUX_ARM64_V8)
          .layer(l -> l.file("/hello-arm64.txt", "this image is linux/arm64/v8; it exists to be listed, not run\n")
              .createdBy("berth test: arm64 marker"))
          .cmd("/hello")
          .build();
    }
    return arm64;
  }

  /** linux/amd64 busybox and linux/arm64/v8 {@link #arm64()}, as an OCI index or a Docker manifest list. */
  public ImageIndex busyboxIndex(ManifestFormat format) {
    return io("busybox index", () -> ImageIndex.of(blobs, format, List.of(busybox(), arm64())));
  }

  /** An index listing only linux/arm64/v8: pulling it on amd64 must fail with "no matching platform". */
  public ImageIndex arm64OnlyIndex() {
    return io("arm64 index", () -> ImageIndex.of(blobs, ManifestFormat.OCI, List.of(arm64())));
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> T io(String what, IoSupplier<T> s) {
    try {
      return s.get();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the " + what + " test image: " + e.getMessage(), e);
    }
  }

  private BuiltImage loadOrBuildBusybox() throws IOException {
    DebianPackages debs = new DebianPackages(cacheDir.resolve("debs"));
    List<DebianPackages.DebFile> files = debs.candidates("busybox", "libc6");
    StringBuilder keySource = new StringBuilder(RECIPE_VERSION);
    files.forEach(f -> keySource.append(' ').append(f.sha256()));
    String ref = "busybox-" + Digest.of(keySource.toString().getBytes(StandardCharsets.UTF_8)).shortHex();
    Optional<BuiltImage> cached = loadRef(ref);
    if (cached.isPresent()) {
      return cached.get();
    }
    Path work = Files.createTempDirectory(blobs.root().resolve("tmp"), "busybox-src-");
    try {
      for (DebianPackages.DebFile f : files) {
        DebianPackages.extract(debs.fetch(f), work);
      }
      Sysroot src = new Sysroot(work);
      LayerBuilder layer = new LayerBuilder().createdBy("berth test: busybox " + files.get(0).fileName()
          + " with " + files.get(1).fileName());
      layer.executableWithLibraries(src, "/bin/busybox");
      for (String applet : listApplets(src)) {
        if (!applet.equals("bin/busybox")) {
          layer.hardlink(applet, "bin/busybox");
        }
      }
      layer.directory("bin", 0755).directory("sbin", 0755).directory("usr/bin", 0755).directory("usr/sbin", 0755)
          .directory("etc", 0755).directory("tmp", 01777).directory("root", 0700)
          .directory("home/berth", 0755, BERTH_UID, BERTH_GID).directory("var/www", 0755, WWW_DATA_UID, 33)
          .directory("dev", 0755).directory("proc", 0555).directory("sys", 0555)
          .file("etc/passwd", PASSWD)
          .file("etc/group", GROUP)
          .file("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
      BuiltImage img = newImage()
          .layer(layer)
          .env(DEFAULT_PATH)
          .cmd("sh")
          .build();
      saveRef(ref, img);
      return img;
    } finally {
      TempDirs.deleteRecursively(work);
    }
  }

  /** The applets of the extracted busybox, relative paths like {@code bin/ls}, run with the extracted glibc. */
  private static List<String> listApplets(Sysroot src) throws IOException {
    Path loader = src.resolve("/lib64/ld-linux-x86-64.so.2")
        .orElseThrow(() -> new IOException("libc6 has no /lib64/ld-linux-x86-64.so.2"));
    String out = Commands.check(List.of(loader.toString(),
        "--library-path", src.root().resolve("lib/x86_64-linux-gnu").toString(),
        src.root().resolve("bin/busybox").toString(), "--list-full"));
    List<String> applets = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        applets.add(LayerBuilder.normalize(line.strip()));
      }
    }
    if (applets.size() < 100) {
      throw new IOException("busybox --list-full listed only " + applets.size() + " applets");
    }
    return applets;
  }

  private BuiltImage loadOrBuildPause() throws IOException {
    Sysroot host = Sysroot.host();
    String catatonit = "/usr/bin/catatonit";
    Path bin = host.resolve(catatonit).orElseThrow(() -> new IOException(
        catatonit + " is missing: apt-get install -y catatonit"));
    String ref = "pause-" + Digest.of((RECIPE_VERSION + " " + Digest.of(bin).hex()).getBytes(StandardCharsets.UTF_8)).shortHex();
    Optional<BuiltImage> cached = loadRef(ref);
    if (cached.isPresent()) {
      return cached.get();
    }
    LayerBuilder layer = new LayerBuilder().createdBy("berth test: catatonit from the host's " + catatonit);
    layer.hostFile("catatonit", bin, 0755);
    // Debian's catatonit is static; if a future one is not, bring what it loads.
    for (String dep : host.runtimeDependencies(catatonit)) {
      layer.copyFromSysroot(host, dep);
    }
    BuiltImage img = newImage()
        .layer(layer)
        .entrypoint("/catatonit", "-P")
        .user("65535:65535")
        .build();
    saveRef(ref, img);
    return img;
  }

  private Optional<BuiltImage> loadRef(String ref) throws IOException {
    Path file = cacheDir.resolve("refs").resolve(ref + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode j = Json.mapper().readTree(file.toFile());
    Optional<Digest> docker = j.hasNonNull("docker") ? Optional.of(Digest.parse(j.get("docker").asText())) : Optional.empty();
    return BuiltImage.load(blobs, Digest.parse(j.path("oci").asText()), docker);
  }

  private void saveRef(String ref, BuiltImage img) throws IOException {
    Path dir = Files.createDirectories(cacheDir.resolve("refs"));
    ObjectNode j = Json.object();
    j.put("oci", img.ociManifest().digest().toString());
    img.dockerManifest().ifPresent(d -> j.put("docker", d.digest().toString()));
    Path tmp = Files.createTempFile(dir, ref, ".tmp");
    Files.write(tmp, Json.bytes(j));
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(tmp, dir.resolve(ref + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
