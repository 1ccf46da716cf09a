package io.berth.bridge.spec;

import io.berth.bridge.spec.oci.Oci;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A host described by maps: existing paths (with symlink targets), mount propagation, devices, files. */
final class FakeHostView implements HostView {
  final Map<String, String> realPaths = new HashMap<>();
  final Map<String, Propagation> propagation = new HashMap<>();
  final Map<String, Oci.Device> devices = new HashMap<>();
  final Map<String, String> files = new HashMap<>();

  FakeHostView path(String path) {
    realPaths.put(path, path);
    return this;
  }

  FakeHostView link(String path, String target) {
    realPaths.put(path, target);
    return this;
  }

  FakeHostView propagation(String path, Propagation p) {
    propagation.put(path, p);
    return this;
  }

  FakeHostView device(String path, String type, long major, long minor) {
    realPaths.put(path, path);
    devices.put(path, new Oci.Device(path, type, major, minor, 0666, 0L, 0L));
    return this;
  }

  FakeHostView file(String path, String content) {
    files.put(path, content);
    return this;
  }

  @Override
  public Optional<Path> realPath(String hostPath) {
    return Optional.ofNullable(realPaths.get(hostPath)).map(Path::of);
  }

  @Override
  public Propagation propagationOf(Path path) {
    return propagation.getOrDefault(path.toString(), Propagation.PRIVATE);
  }

  @Override
  public List<Oci.Device> devices(Path hostPath, String containerPath) throws IOException {
    Oci.Device d = devices.get(hostPath.toString());
    if (d == null) {
      throw new IOException(hostPath + " is not a device node");
    }
    return List.of(new Oci.Device(containerPath, d.type(), d.major(), d.minor(), d.fileMode(), d.uid(), d.gid()));
  }

  @Override
  public List<Oci.Device> allHostDevices() {
    return new ArrayList<>(devices.values());
  }

  @Override
  public byte[] readFile(Path path) throws IOException {
    String content = files.get(path.toString());
    if (content == null) {
      throw new NoSuchFileException(path.toString());
    }
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
