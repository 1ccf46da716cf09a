package io.berth.server.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** berth's version, stamped into a resource by the build. */
public record BuildInfo(String version) {
  public static final String RUNTIME_NAME = "berth";
  public static final String CRI_API_VERSION = "v1";

  public static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/io/berth/server/berth-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown": a missing stamp must not stop the daemon
    }
    return new BuildInfo(p.getProperty("version", "unknown"));
  }
}
