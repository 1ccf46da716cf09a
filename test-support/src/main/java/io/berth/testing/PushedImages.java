package io.berth.testing;

/**
 * The standard images as pushed to a test registry by {@link RegistryPusher#pushStandardImages}.
 *
 * <p>Tags, in both {@code busybox} and {@code library/busybox}: {@code latest} (Docker schema 2),
 * {@code oci} (OCI manifest), {@code multi} (OCI index: linux/amd64 busybox + linux/arm64/v8
 * marker image), {@code list} (the same as a Docker manifest list), {@code arm64-only} (an OCI index
 * with only linux/arm64/v8). In {@code pause} and {@code google-containers/pause}: {@code 3.10}
 * (Docker schema 2) and {@code 3.10-oci} (OCI).
 *
 * <p>berthd started by {@link BerthdProcess} mirrors {@code docker.io}, {@code registry.k8s.io} and
 * {@code gcr.io} to this registry, so {@code busybox} (= {@code docker.io/library/busybox:latest}),
 * {@code registry.k8s.io/pause:3.10} and {@code gcr.io/google-containers/pause:3.10} pull from it.
 */
public record PushedImages(
    String registryHost,
    BuiltImage busybox,
    BuiltImage pause,
    BuiltImage arm64,
    ImageIndex busyboxOciIndex,
    ImageIndex busyboxDockerList,
    ImageIndex arm64OnlyIndex) {

  /** The sandbox image berthd is configured with. */
  public static final String SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";
  public static final String BUSYBOX = "docker.io/library/busybox:latest";
  public static final String BUSYBOX_OCI = "docker.io/library/busybox:oci";
  public static final String BUSYBOX_MULTI = "docker.io/library/busybox:multi";
  public static final String BUSYBOX_LIST = "docker.io/library/busybox:list";
  public static final String BUSYBOX_ARM64_ONLY = "docker.io/library/busybox:arm64-only";

  /** {@code repoAndTag} (e.g. {@code busybox:oci}) on the test registry itself: {@code 127.0.0.1:PORT/busybox:oci}. */
  public String direct(String repoAndTag) {
    return registryHost + "/" + repoAndTag;
  }
}
