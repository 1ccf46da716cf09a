package io.berth.cli;

import io.berth.cli.bench.BenchCommand;
import io.berth.cli.command.CompletionCommand;
import io.berth.cli.command.ConfigCommand;
import io.berth.cli.command.CreateCommand;
import io.berth.cli.command.ImageFsInfoCommand;
import io.berth.cli.command.ImagesCommand;
import io.berth.cli.command.InfoCommand;
import io.berth.cli.command.InspectCommand;
import io.berth.cli.command.InspectImageCommand;
import io.berth.cli.command.InspectPodCommand;
import io.berth.cli.command.LogsCommand;
import io.berth.cli.command.PodStatsCommand;
import io.berth.cli.command.PodsCommand;
import io.berth.cli.command.PsCommand;
import io.berth.cli.command.PullCommand;
import io.berth.cli.command.RemoveContainerCommand;
import io.berth.cli.command.RemoveImageCommand;
import io.berth.cli.command.RemovePodCommand;
import io.berth.cli.command.RunCommand;
import io.berth.cli.command.RunPodCommand;
import io.berth.cli.command.StartCommand;
import io.berth.cli.command.StatsCommand;
import io.berth.cli.command.StopCommand;
import io.berth.cli.command.StopPodCommand;
import io.berth.cli.command.UpdateCommand;
import io.berth.cli.command.VersionCommand;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every subcommand with its names and one-line usage, in crictl's (alphabetical) order. Kept as
 * suppliers so that one invocation only builds the picocli model of the command it runs: reflecting
 * over all of them would cost startup time that {@code berthctl version} should not pay.
 */
public final class CommandRegistry {
    public record Entry(String name, List<String> aliases, String usage, Supplier<Object> factory) {
        public boolean answersTo(String word) {
            return name.equals(word) || aliases.contains(word);
        }
    }

    public static final List<Entry> ALL = List.of(
            new Entry("bench", List.of(), "Measure CRI latency: pod, container and image lifecycles", BenchCommand::new),
            new Entry("completion", List.of(), "Output shell completion code", CompletionCommand::new),
            new Entry("config", List.of(), "Get, set and list crictl configuration options", ConfigCommand::new),
            new Entry("create", List.of(), "Create a new container", CreateCommand::new),
            new Entry("imagefsinfo", List.of(), "Return image filesystem info", ImageFsInfoCommand::new),
            new Entry("images", List.of("image", "img"), "List images", ImagesCommand::new),
            new Entry("info", List.of(), "Display information of the container runtime", InfoCommand::new),
            new Entry("inspect", List.of(), "Display the status of one or more containers", InspectCommand::new),
            new Entry("inspecti", List.of(), "Return the status of one or more images", InspectImageCommand::new),
            new Entry("inspectp", List.of(), "Display the status of one or more pods", InspectPodCommand::new),
            new Entry("logs", List.of(), "Fetch the logs of a container", LogsCommand::new),
            new Entry("pods", List.of(), "List pods", PodsCommand::new),
            new Entry("ps", List.of(), "List containers", PsCommand::new),
            new Entry("pull", List.of(), "Pull an image from a registry", PullCommand::new),
            new Entry("rm", List.of(), "Remove one or more containers", RemoveContainerCommand::new),
            new Entry("rmi", List.of(), "Remove one or more images", RemoveImageCommand::new),
            new Entry("rmp", List.of(), "Remove one or more pods", RemovePodCommand::new),
            new Entry("run", List.of(), "Run a new container inside a sandbox", RunCommand::new),
            new Entry("runp", List.of(), "Run a new pod", RunPodCommand::new),
            new Entry("start", List.of(), "Start one or more created containers", StartCommand::new),
            new Entry("stats", List.of(), "List container(s) resource usage statistics", StatsCommand::new),
            new Entry("statsp", List.of(), "List pod statistics. Stats represent a structured API that will fulfill the Kubelet's /stats/summary endpoint.", PodStatsCommand::new),
            new Entry("stop", List.of(), "Stop one or more running containers", StopCommand::new),
            new Entry("stopp", List.of(), "Stop one or more running pods", StopPodCommand::new),
            new Entry("update", List.of(), "Update one or more running containers", UpdateCommand::new),
            new Entry("version", List.of(), "Display runtime version information", VersionCommand::new));

    private CommandRegistry() {
    }

    public static Entry find(String word) {
        for (Entry e : ALL) {
            if (e.answersTo(word)) {
                return e;
            }
        }
        return null;
    }
}
