package io.berth.server.container;

import io.berth.cri.v1.UInt64Value;
import io.berth.bridge.state.ContainerRecord;
import io.berth.bridge.state.ContainerState;
import io.berth.cri.v1.ContainerAttributes;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ContainerStats;
import io.berth.cri.v1.CpuUsage;
import io.berth.cri.v1.FilesystemIdentifier;
import io.berth.cri.v1.FilesystemUsage;
import io.berth.cri.v1.MemoryUsage;
import io.berth.os.CgroupUsage;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * ContainerStats from what the host already counts: the container's cgroup (CPU time, memory,
 * working set) and its overlay upper dir (the writable layer's bytes and inodes).
 */
final class ContainerStatsReader {
  private final Path imageFsMountpoint;

  ContainerStatsReader(Path imageFsMountpoint) {
    this.imageFsMountpoint = imageFsMountpoint;
  }

  ContainerStats read(ContainerRecord r, ContainerMetadata m) {
    ContainerConfig c = m.config();
    long now = System.currentTimeMillis() * 1_000_000L;
    ContainerStats.Builder b = ContainerStats.newBuilder()
        .setAttributes(ContainerAttributes.newBuilder().setId(r.id()).setMetadata(c.getMetadata())
            .putAllLabels(c.getLabelsMap()).putAllAnnotations(c.getAnnotationsMap()));
    CpuUsage.Builder cpu = CpuUsage.newBuilder().setTimestamp(now);
    MemoryUsage.Builder mem = MemoryUsage.newBuilder().setTimestamp(now);
    Optional<CgroupUsage> usage = r.state() == ContainerState.RUNNING && r.pid() != null
        ? CgroupUsage.ofProcess(r.pid()) : Optional.empty();
    usage.ifPresent(u -> {
      cpu.setUsageCoreNanoSeconds(u64(u.cpuNanos()));
      mem.setUsageBytes(u64(u.memoryUsage()))
          .setWorkingSetBytes(u64(u.workingSet()))
          .setRssBytes(u64(u.rss()));
    });
    b.setCpu(cpu).setMemory(mem);
    long[] du = diskUsage(Path.of(r.bundle(), "upper"));
    b.setWritableLayer(FilesystemUsage.newBuilder().setTimestamp(now)
        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(imageFsMountpoint.toString()))
        .setUsedBytes(u64(du[0])).setInodesUsed(u64(du[1])));
    return b.build();
  }

  private static UInt64Value u64(long v) {
    return UInt64Value.newBuilder().setValue(v).build();
  }

  /** {bytes, inodes} under {@code dir}; zeros when it does not exist. */
  private static long[] diskUsage(Path dir) {
    long[] total = new long[2];
    if (!Files.isDirectory(dir)) {
      return total;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          total[1]++;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          total[1]++;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a container removed while we walk: report what was counted
    }
    return total;
  }
}
