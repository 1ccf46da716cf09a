package io.berth.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.app.CliException;
import io.berth.cli.app.GoDuration;
import io.berth.cli.app.Session;
import io.berth.cli.command.CriCommand;
import io.berth.cli.config.CriConfigFiles;
import io.berth.cli.format.GoJson;
import io.berth.cli.format.TabTable;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.PodSandboxMetadata;
import io.berth.cri.v1.VersionRequest;
import io.berth.cri.v1.VersionResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berthctl bench}: a load generator for any CRI endpoint, so that berth and other runtimes are
 * measured by one client in one way. Scenarios: {@code pod} (RunPodSandbox, StopPodSandbox,
 * RemovePodSandbox), {@code container} (CreateContainer, StartContainer, StopContainer, RemoveContainer in
 * a pod per worker) and {@code image} (PullImage, RemoveImage).
 */
@Command(name = "bench", description = "Measure CRI latency: pod, container and image lifecycles",
        footer = {"", "Examples:",
            "  berthctl bench pod --count 50 --concurrency 4 -o json",
            "  berthctl bench container --image busybox:latest --count 20",
            "  berthctl bench image --image registry.local/busybox:1 --count 10"})
public final class BenchCommand extends CriCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = "pod",
            description = "pod | container | image (default: pod)")
    String scenario;

    @Option(names = {"-n", "--count"}, defaultValue = "10", description = "Measured iterations (default: 10)")
    int count;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "1", description = "Concurrent workers (default: 1)")
    int concurrency;

    @Option(names = {"-w", "--warmup"}, defaultValue = "1", description = "Iterations run first and not measured (default: 1)")
    int warmup;

    @Option(names = "--pod-config", description = "Pod config (JSON/YAML) used as a template; name and uid are made unique")
    String podConfig;

    @Option(names = "--container-config", description = "Container config (JSON/YAML) used as a template")
    String containerConfig;

    @Option(names = "--image", description = "Image for the container scenario, or image(s) to pull (repeatable)")
    List<String> images = new ArrayList<>();

    @Option(names = {"-r", "--runtime"}, defaultValue = "", description = "Runtime handler for the pods")
    String runtime;

    @Option(names = "--keep-images", description = "image scenario: do not remove the image after each pull")
    boolean keepImages;

    @Option(names = "--rpc-timeout", defaultValue = "2m", description = "Deadline of each RPC (default: 2m)")
    String rpcTimeout;

    @Option(names = "--stop-timeout", defaultValue = "0", description = "container scenario: StopContainer grace period in seconds (default: 0)")
    long stopTimeout;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "Output format: table|json (default: table)")
    String output;

    @Override
    protected void run(Session s) {
        if (count < 1 || concurrency < 1 || warmup < 0) {
            throw new CliException("--count and --concurrency must be at least 1, --warmup at least 0");
        }
        Duration deadline;
        try {
            deadline = GoDuration.parse(rpcTimeout);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid --rpc-timeout: " + e.getMessage());
        }
        BenchRpc rpc = new BenchRpc(s.runtimeConnection(), s.imageConnection(), deadline);
        VersionResponse version = rpc(s, "getting the runtime version",
                () -> s.runtime().version(VersionRequest.newBuilder().setVersion("v1").build()));
        BenchScenario sc = scenario(rpc);
        BenchRunner.Outcome o = BenchRunner.run(sc, count, concurrency, warmup);
        BenchResult result = new BenchResult(sc.name(), s.settings().runtimeEndpoint(), version.getRuntimeName(),
                version.getRuntimeVersion(), count, concurrency, warmup, o.succeeded(), o.failed(), o.wallSeconds(),
                o.recorder().summary(), o.errors());
        switch (output) {
            case "json" -> s.out().print(GoJson.protojson(json(result)) + "\n");
            case "table" -> s.out().print(table(result));
            default -> throw new CliException("unsupported output format \"" + output + "\"");
        }
        s.out().flush();
        if (o.failed() > 0) {
            throw new CliException(o.failed() + " of " + count + " iterations failed; first error: " + o.errors().get(0));
        }
    }

    private BenchScenario scenario(BenchRpc rpc) {
        return switch (scenario) {
            case "pod" -> new PodLifecycleScenario(rpc, podTemplate(), runtime);
            case "container" -> new ContainerLifecycleScenario(rpc, podTemplate(), containerTemplate(), runtime, stopTimeout);
            case "image" -> {
                if (images.isEmpty()) {
                    throw new CliException("the image scenario needs --image");
                }
                if (!keepImages && concurrency > 1 && images.size() < concurrency) {
                    throw new CliException("pulling and removing concurrently needs one --image per worker ("
                            + concurrency + "), or --keep-images");
                }
                yield new ImagePullScenario(rpc, images, !keepImages, concurrency);
            }
            default -> throw new CliException("unknown scenario \"" + scenario + "\": pod, container or image");
        };
    }

    private PodSandboxConfig podTemplate() {
        if (podConfig != null) {
            try {
                return CriConfigFiles.loadPodSandboxConfig(Path.of(podConfig));
            } catch (CriConfigFiles.ConfigFileException e) {
                throw new CliException("load podSandboxConfig: " + e.getMessage());
            }
        }
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("bench").setNamespace("berth-bench").setUid("x"))
                .build();
    }

    private ContainerConfig containerTemplate() {
        if (containerConfig != null) {
            try {
                return CriConfigFiles.loadContainerConfig(Path.of(containerConfig));
            } catch (CriConfigFiles.ConfigFileException e) {
                throw new CliException("load containerConfig: " + e.getMessage());
            }
        }
        if (images.isEmpty()) {
            throw new CliException("the container scenario needs --image or --container-config");
        }
        return ContainerConfig.newBuilder()
                .setMetadata(io.berth.cri.v1.ContainerMetadata.newBuilder().setName("bench"))
                .setImage(ImageSpec.newBuilder().setImage(images.get(0)))
                .addCommand("sleep").addArgs("3600")
                .build();
    }

    static ObjectNode json(BenchResult r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("scenario", r.scenario());
        o.put("endpoint", r.endpoint());
        ObjectNode rt = o.putObject("runtime");
        rt.put("name", r.runtimeName());
        rt.put("version", r.runtimeVersion());
        o.put("count", r.count());
        o.put("concurrency", r.concurrency());
        o.put("warmup", r.warmup());
        o.put("succeeded", r.succeeded());
        o.put("failed", r.failed());
        o.put("wallSeconds", round3(r.wallSeconds()));
        o.put("opsPerSecond", round3(r.opsPerSecond()));
        ObjectNode phases = o.putObject("phases");
        for (Map.Entry<String, LatencyStats> e : r.phases().entrySet()) {
            LatencyStats st = e.getValue();
            ObjectNode p = phases.putObject(e.getKey());
            p.put("count", st.count());
            p.put("minMs", st.minMs());
            p.put("meanMs", st.meanMs());
            p.put("p50Ms", st.p50Ms());
            p.put("p90Ms", st.p90Ms());
            p.put("p99Ms", st.p99Ms());
            p.put("maxMs", st.maxMs());
        }
        ArrayNode errors = o.putArray("errors");
        r.errors().forEach(errors::add);
        return o;
    }

    static String table(BenchResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "scenario: %s  endpoint: %s  runtime: %s %s%n", r.scenario(), r.endpoint(),
                r.runtimeName(), r.runtimeVersion()));
        sb.append(String.format(Locale.ROOT, "iterations: %d (%d ok, %d failed)  concurrency: %d  warm-up: %d  wall: %.3fs  throughput: %.2f ops/s%n",
                r.count(), r.succeeded(), r.failed(), r.concurrency(), r.warmup(), r.wallSeconds(), r.opsPerSecond()));
        TabTable t = TabTable.crictlDefault();
        t.addRow("PHASE", "COUNT", "MIN (ms)", "MEAN (ms)", "P50 (ms)", "P90 (ms)", "P99 (ms)", "MAX (ms)");
        for (Map.Entry<String, LatencyStats> e : r.phases().entrySet()) {
            LatencyStats st = e.getValue();
            t.addRow(e.getKey(), Integer.toString(st.count()), ms(st.minMs()), ms(st.meanMs()), ms(st.p50Ms()),
                    ms(st.p90Ms()), ms(st.p99Ms()), ms(st.maxMs()));
        }
        sb.append(t.render());
        for (String e : r.errors()) {
            sb.append("error: ").append(e).append('\n');
        }
        return sb.toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
