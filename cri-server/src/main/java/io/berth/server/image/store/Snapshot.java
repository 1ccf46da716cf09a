package io.berth.server.image.store;

import io.berth.server.image.reference.Digest;
import java.nio.file.Path;

/**
 * A committed layer snapshot: {@code dir} holds exactly one layer's files (with overlay whiteouts),
 * ready to be an overlayfs lower dir. Usage numbers are those measured at unpack time.
 */
public record Snapshot(Digest chainId, Digest diffId, Path dir, long fileBytes, long inodes) {}
