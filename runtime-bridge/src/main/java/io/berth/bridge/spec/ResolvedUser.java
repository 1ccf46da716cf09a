package io.berth.bridge.spec;

import java.util.List;

/** The uid, gid and additional gids of a container's process, resolved against the image's /etc files. */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids) {
  public ResolvedUser {
    additionalGids = List.copyOf(additionalGids);
  }

  public static ResolvedUser root() {
    return new ResolvedUser(0, 0, List.of(0L));
  }
}
