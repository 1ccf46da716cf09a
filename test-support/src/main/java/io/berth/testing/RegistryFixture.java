package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 at a free port, with its own
 * storage and log under a temp dir: plain HTTP, TLS with a CA made for it, and/or htpasswd Basic
 * auth. Debian's own registry service and port 5000 are never touched. {@link #close()} stops it
 * (SIGTERM, then SIGKILL) and deletes everything it wrote.
 *
 * <pre>{@code
 * try (RegistryFixture reg = RegistryFixture.builder().tls().basicAuth().start()) {
 *   reg.pusher(images.blobs()).pushImage("busybox", "latest", images.busybox(), ManifestFormat.OCI);
 *   // reg.caFile(), reg.credentials(), reg.hostPort() ...
 * }
 * }</pre>
 */
public final class RegistryFixture implements AutoCloseable {
  private static final String BINARY = "/usr/bin/docker-registry";
  private static final int ATTEMPTS = 5;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Path workDir;
  private final Optional<TestCertificates> certificates;
  private final Optional<RegistryCredentials> credentials;
  private final Optional<SSLContext> clientTls;
  private Process process;
  private Thread exitHook;
  private int port;

  /** How to start a registry. */
  public static final class Builder {
    private boolean tls;
    private RegistryCredentials credentials;

    private Builder() {}

    /** Serve HTTPS with a certificate from a fresh CA ({@link #caFile()}). */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** Require Basic auth as user {@code berth} with a random password ({@link #credentials()}). */
    public Builder basicAuth() {
      byte[] secret = new byte[12];
      new SecureRandom().nextBytes(secret);
      return basicAuth("berth", HexFormat.of().formatHex(secret));
    }

    public Builder basicAuth(String user, String password) {
      this.credentials = new RegistryCredentials(user, password);
      return this;
    }

    public RegistryFixture start() throws IOException {
      List<HostRequirements.Requirement> needs = new java.util.ArrayList<>(List.of(HostRequirements.Requirement.DOCKER_REGISTRY));
      if (tls) {
        needs.add(HostRequirements.Requirement.OPENSSL);
      }
      if (credentials != null) {
        needs.add(HostRequirements.Requirement.HTPASSWD);
      }
      HostRequirements.require(needs);
      Path dir = TempDirs.create("berth-registry-");
      RegistryFixture r = null;
      try {
        Optional<TestCertificates> certs = tls ? Optional.of(TestCertificates.generate(dir.resolve("certs"))) : Optional.empty();
        r = new RegistryFixture(dir, certs, Optional.ofNullable(credentials));
        r.launch();
        return r;
      } catch (IOException | RuntimeException | Error e) {
        if (r != null) {
          r.close();
        } else {
          TempDirs.deleteRecursively(dir);
        }
        throw e;
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A plain-HTTP registry without auth. */
  public static RegistryFixture startPlain() throws IOException {
    return builder().start();
  }

  private RegistryFixture(Path workDir, Optional<TestCertificates> certificates, Optional<RegistryCredentials> credentials)
      throws IOException {
    this.workDir = workDir;
    this.certificates = certificates;
    this.credentials = credentials;
    this.clientTls = certificates.isPresent()
        ? Optional.of(TestCertificates.trusting(certificates.get().caCert()))
        : Optional.empty();
  }

  private void launch() throws IOException {
    Files.createDirectories(storageDir());
    if (credentials.isPresent()) {
      String line = Commands.check(List.of("htpasswd", "-Bbn", credentials.get().username(), credentials.get().password()));
      Files.writeString(workDir.resolve("htpasswd"), line.strip() + "\n");
    }
    String lastLog = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      port = freePort();
      Files.writeString(configFile(), configYaml());
      ProcessBuilder pb = new ProcessBuilder(BINARY, "serve", configFile().toString())
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // REGISTRY_* variables would override the config file.
      pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));
      process = pb.start();
      exitHook = ChildProcesses.killOnJvmExit(process, "docker-registry");
      if (awaitReady()) {
        return;
      }
      lastLog = LogFiles.tail(logFile(), 30);
      stopProcess();
      if (!lastLog.contains("address already in use")) {
        break; // a real failure, not a port race
      }
    }
    throw new IOException("docker-registry did not start (log " + logFile() + "):\n" + lastLog);
  }

  private boolean awaitReady() throws IOException {
    RegistryHttp http = http();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        int code = http.ping();
        if (code == 200 || (code == 401 && credentials.isPresent())) {
          return true;
        }
      } catch (IOException notYet) {
        // connection refused until it listens
      }
      sleep(50);
    }
    return false;
  }

  private String configYaml() {
    StringBuilder y = new StringBuilder();
    y.append("version: 0.1\n");
    y.append("log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n");
    y.append("storage:\n  filesystem:\n    rootdirectory: ").append(quote(storageDir().toString())).append('\n');
    y.append("  delete:\n    enabled: true\n");
    y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
    y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    y.append("  secret: ").append(HexFormat.of().formatHex(randomBytes())).append('\n');
    y.append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
    certificates.ifPresent(c -> y.append("  tls:\n")
        .append("    certificate: ").append(quote(c.serverCert().toString())).append('\n')
        .append("    key: ").append(quote(c.serverKey().toString())).append('\n'));
    credentials.ifPresent(c -> y.append("auth:\n  htpasswd:\n    realm: berth-test\n    path: ")
        .append(quote(workDir.resolve("htpasswd").toString())).append('\n'));
    return y.toString();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A port the kernel just handed out on 127.0.0.1, never 5000 (Debian's registry default). */
  private static int freePort() throws IOException {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (s.getLocalPort() != 5000) {
          return s.getLocalPort();
        }
      }
    }
    throw new IOException("no free port on 127.0.0.1");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the host part of image references on this registry. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://...}: what a mirror list names. */
  public URI baseUri() {
    return URI.create((certificates.isPresent() ? "https" : "http") + "://" + hostPort());
  }

  public String mirrorUrl() {
    return baseUri().toString();
  }

  public boolean isTls() {
    return certificates.isPresent();
  }

  /** The PEM CA certificate that signed this registry's certificate (TLS registries only). */
  public Optional<Path> caFile() {
    return certificates.map(TestCertificates::caCert);
  }

  /** The user and password Basic auth accepts (auth registries only). */
  public Optional<RegistryCredentials> credentials() {
    return credentials;
  }

  /** A client TLS context trusting {@link #caFile()} (TLS registries only). */
  public Optional<SSLContext> clientTls() {
    return clientTls;
  }

  public Path workDir() {
    return workDir;
  }

  public Path storageDir() {
    return workDir.resolve("storage");
  }

  public Path configFile() {
    return workDir.resolve("config.yml");
  }

  public Path logFile() {
    return workDir.resolve("registry.log");
  }

  public String logTail(int lines) {
    return LogFiles.tail(logFile(), lines);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** A registry client with this registry's credentials and CA. */
  public RegistryHttp http() {
    return new RegistryHttp(baseUri(), credentials, clientTls);
  }

  /** A client with no credentials, e.g. to check that this registry refuses them (401). */
  public RegistryHttp anonymousHttp() {
    return new RegistryHttp(baseUri(), Optional.empty(), clientTls);
  }

  public RegistryPusher pusher(BlobStore store) {
    return new RegistryPusher(http(), store);
  }

  /** {@code repoAndTag} on this registry: {@code 127.0.0.1:PORT/repo:tag}. */
  public String reference(String repoAndTag) {
    return hostPort() + "/" + repoAndTag;
  }

  private void stopProcess() {
    if (process != null) {
      ChildProcesses.terminate(process, Duration.ofSeconds(10));
      ChildProcesses.forgetHook(exitHook);
    }
  }

  /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and deletes its storage, config and log. */
  @Override
  public void close() {
    stopProcess();
    try {
      TempDirs.deleteRecursively(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + workDir, e);
    }
  }

  @Override
  public String toString() {
    return "RegistryFixture[" + baseUri() + (credentials.isPresent() ? ", basic auth" : "") + "]";
  }
}
