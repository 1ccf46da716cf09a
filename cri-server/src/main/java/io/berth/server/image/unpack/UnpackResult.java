package io.berth.server.image.unpack;

import io.berth.server.image.reference.Digest;

/**
 * What unpacking one layer produced: its diff id (digest of the uncompressed tar), the tar's size,
 * and the bytes and inodes written into the snapshot (for ImageFsInfo).
 */
public record UnpackResult(Digest diffId, long tarBytes, long fileBytes, long inodes) {}
