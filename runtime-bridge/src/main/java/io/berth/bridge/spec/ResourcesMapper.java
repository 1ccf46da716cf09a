package io.berth.bridge.spec;

import io.berth.bridge.Errors;
import io.berth.bridge.spec.oci.Oci;
import io.berth.cri.v1.HugepageLimit;
import io.berth.cri.v1.LinuxContainerResources;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * CRI {@code LinuxContainerResources} to OCI {@code linux.resources}, for CreateContainer and for
 * UpdateContainerResources. Zero means "not specified" in CRI and is left out; the pids limit is
 * left out rather than written as -1 (crun 1.8.1 writes -1 literally into pids.max on cgroup v1).
 */
public final class ResourcesMapper {
  private ResourcesMapper() {}

  public static Oci.Resources toOci(LinuxContainerResources r, Long pidsLimit, HostFacts host,
      List<Oci.DeviceCgroup> deviceRules, String field) {
    Oci.Cpu cpu = null;
    if (r.getCpuShares() != 0 || r.getCpuQuota() != 0 || r.getCpuPeriod() != 0
        || !r.getCpusetCpus().isEmpty() || !r.getCpusetMems().isEmpty()) {
      if (r.getCpuShares() < 0 || r.getCpuPeriod() < 0) {
        throw Errors.invalidArgument(field + ".cpu_shares and cpu_period must not be negative");
      }
      cpu = new Oci.Cpu(nonZero(r.getCpuShares()), nonZero(r.getCpuQuota()), nonZero(r.getCpuPeriod()),
          emptyToNull(r.getCpusetCpus()), emptyToNull(r.getCpusetMems()));
    }

    Oci.Memory memory = null;
    long limit = r.getMemoryLimitInBytes();
    long swap = r.getMemorySwapLimitInBytes();
    if (limit < 0) {
      throw Errors.invalidArgument(field + ".memory_limit_in_bytes must not be negative");
    }
    if (limit != 0 || swap != 0) {
      Long swapValue = null;
      if (host.swapAccounting()) {
        // Like containerd: with a memory limit and no swap limit, swap is capped at the same value
        // so the container cannot swap.
        swapValue = swap != 0 ? Long.valueOf(swap) : limit != 0 ? Long.valueOf(limit) : null;
      }
      memory = new Oci.Memory(nonZero(limit), swapValue);
    }

    List<Oci.HugepageLimit> hugepages = null;
    if (r.getHugepageLimitsCount() > 0) {
      if (!host.hugetlbController()) {
        throw Errors.failedPrecondition(field + ".hugepage_limits are set but the host has no hugetlb cgroup controller");
      }
      hugepages = new ArrayList<>();
      for (HugepageLimit h : r.getHugepageLimitsList()) {
        hugepages.add(new Oci.HugepageLimit(h.getPageSize(), h.getLimit()));
      }
    }

    TreeMap<String, String> unified = null;
    if (r.getUnifiedCount() > 0) {
      if (!host.cgroupV2()) {
        throw Errors.invalidArgument(field + ".unified needs cgroup v2; this host runs cgroup v1");
      }
      unified = new TreeMap<>(r.getUnifiedMap());
    }

    Oci.Pids pids = pidsLimit != null && pidsLimit > 0 ? new Oci.Pids(pidsLimit) : null;
    return new Oci.Resources(deviceRules == null || deviceRules.isEmpty() ? null : List.copyOf(deviceRules),
        memory, cpu, pids, hugepages, unified);
  }

  /** The oom_score_adj to write: never below the daemon's own (lowering needs CAP_SYS_RESOURCE). */
  public static int clampOomScoreAdj(long requested, int daemonCurrent) {
    long clamped = Math.max(requested, daemonCurrent);
    return (int) Math.min(1000, Math.max(-1000, clamped));
  }

  private static Long nonZero(long v) {
    return v == 0 ? null : v;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
