package io.berth.server;

import io.berth.server.config.BerthConfig;
import io.berth.server.config.ConfigException;
import io.berth.server.config.ConfigLoader;
import io.berth.server.config.ConfigOverrides;
import io.berth.server.log.LogSetup;
import io.berth.server.log.StructuredLogger;
import io.berth.server.runtime.BuildInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code berthd [--config FILE] [--socket PATH] [--root DIR] [--state-dir DIR] [--log-level L]
 * [--print-config] [--version]}. Without --config, {@code /etc/berth/berth.toml} is read when it
 * exists (as containerd reads /etc/containerd/config.toml), else the embedded defaults apply.
 * Exit codes: 0 after a clean shutdown, 1 when serving fails, 2 for usage or config errors.
 */
public final class BerthdMain {
  static final Path DEFAULT_CONFIG = Path.of("/etc/berth/berth.toml");

  private BerthdMain() {}

  /**
   * jnr-ffi's way of binding libc and libcrypto: by default it generates native-call stub classes
   * with ASM (~320 classes of jnr's assembler and ASM loaded, plus the generated ones in
   * metaspace), which costs 2–3 MB of idle RSS. berthd's native calls are a few per RPC or per
   * unpacked file, where the reflective invoker measured the same (2.2 vs 2.4 µs per utimensat,
   * docs/benchmarks.md). Set before any jnr class initialises; an explicit -D wins.
   */
  static final String JNR_ASM_PROPERTY = "jnr.ffi.asm.enabled";

  public static void main(String[] args) {
    if (System.getProperty(JNR_ASM_PROPERTY) == null) {
      System.setProperty(JNR_ASM_PROPERTY, "false");
    }
    System.exit(run(args));
  }

  static int run(String[] args) {
    Path configFile = null;
    String socket = null;
    String root = null;
    String state = null;
    String level = null;
    boolean printConfig = false;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--config": configFile = Path.of(value(args, ++i, a)); break;
          case "--socket": socket = value(args, ++i, a); break;
          case "--root": root = value(args, ++i, a); break;
          case "--state-dir": state = value(args, ++i, a); break;
          case "--log-level": level = value(args, ++i, a); break;
          case "--print-config": printConfig = true; break;
          case "--version":
            System.out.println("berthd " + BuildInfo.load().version());
            return 0;
          case "-h":
          case "--help":
            System.out.println(usage());
            return 0;
          default:
            throw new ConfigException("berthd: unknown flag " + a + "\n" + usage());
        }
      }
      if (configFile == null && Files.exists(DEFAULT_CONFIG)) {
        configFile = DEFAULT_CONFIG;
      }
      BerthConfig config = new ConfigLoader().load(configFile, new ConfigOverrides(socket, root, state, level));
      if (printConfig) {
        System.out.print(new ConfigLoader().toToml(config));
        return 0;
      }
      return serve(config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }

  private static int serve(BerthConfig config) {
    LogSetup.configure(config.logLevel());
    StructuredLogger log = StructuredLogger.get(BerthdMain.class);
    Berthd berthd = new Berthd(config);
    CountDownLatch stopRequested = new CountDownLatch(1);
    // SIGTERM/SIGINT: stop accepting, drain in-flight calls, remove the socket, exit 0 (as
    // containerd does; a JVM left to its default handler would exit 143). Installed before start:
    // a signal that arrives while berthd restores its state is handled once start returns.
    for (String sig : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stopRequested.countDown());
    }
    // Any other way out of the JVM still releases the socket.
    Thread hook = new Thread(berthd::close, "berthd-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      berthd.start();
    } catch (Exception e) {
      System.err.println("berthd: " + e.getMessage());
      log.debug("start failed", "error", String.valueOf(e));
      Runtime.getRuntime().removeShutdownHook(hook);
      return 1;
    }
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("berthd shutting down");
    berthd.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    return 0;
  }

  private static String value(String[] args, int i, String flag) throws ConfigException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new ConfigException("berthd: " + flag + " needs a value");
    }
    return args[i];
  }

  static String usage() {
    return "usage: berthd [--config FILE] [--socket PATH] [--root DIR] [--state-dir DIR]"
        + " [--log-level debug|info|warn|error] [--print-config] [--version]";
  }
}
