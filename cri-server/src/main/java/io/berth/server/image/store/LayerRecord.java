package io.berth.server.image.store;

import io.berth.server.image.reference.Digest;

/** One layer of an image: the blob (compressed digest and size), its diff id and its chain id (the snapshot). */
public record LayerRecord(Digest digest, long size, String mediaType, Digest diffId, Digest chainId) {}
