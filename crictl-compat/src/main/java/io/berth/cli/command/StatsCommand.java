package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.GoStrings;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.format.TabTable;
import io.berth.cli.output.ProtoJson;
import io.berth.cri.v1.ContainerStats;
import io.berth.cri.v1.ContainerStatsFilter;
import io.berth.cri.v1.ListContainerStatsRequest;
import io.berth.cri.v1.ListContainerStatsResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats", description = "List container(s) resource usage statistics")
public final class StatsCommand extends CriCommand {
    /** crictl's display.ClearScreen: it clears the terminal before every table, even without --watch. */
    static final String CLEAR_SCREEN = "\033[2J\033[H";

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--id", defaultValue = "", description = "Filter by container id")
    String id;

    @Option(names = {"-p", "--pod"}, defaultValue = "", description = "Filter by pod id")
    String pod;

    @Option(names = "--label", split = ",", description = "Filter by key=value label")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-o", "--output"}, defaultValue = "", description = "Output format, One of: json|yaml|table")
    String output;

    @Option(names = {"-s", "--seconds"}, defaultValue = "1", description = "Sample duration for CPU usage in seconds")
    int seconds;

    @Option(names = {"-w", "--watch"}, description = "Watch pod resources")
    boolean watch;

    @Parameters(arity = "0..*", paramLabel = "ID")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        if (args.size() > 1) {
            throw showHelp();
        }
        String cid = id.isEmpty() && !args.isEmpty() ? args.get(0) : id;
        ListContainerStatsRequest request = ListContainerStatsRequest.newBuilder().setFilter(ContainerStatsFilter.newBuilder()
                .setId(cid).setPodSandboxId(pod).putAllLabelSelector(Labels.parse(labels))).build();
        Watch.run(watch, () -> display(s, request));
    }

    private void display(Session s, ListContainerStatsRequest request) {
        ListContainerStatsResponse first = fetch(s, request);
        if (output.equals("json")) {
            s.out().print(ProtoJson.json(first) + "\n");
            return;
        }
        if (output.equals("yaml")) {
            s.out().print(ProtoJson.yaml(first) + "\n");
            return;
        }
        Watch.sleep(Duration.ofSeconds(seconds));
        ListContainerStatsResponse second = fetch(s, request);
        s.out().print(CLEAR_SCREEN + table(first.getStatsList(), second.getStatsList(), all));
        s.out().flush();
    }

    private static ListContainerStatsResponse fetch(Session s, ListContainerStatsRequest request) {
        List<ContainerStats> stats = rpc(s, "get container stats", () -> s.runtime().listContainerStats(request)).getStatsList();
        List<ContainerStats> sorted = ImageNames.sorted(stats,
                (a, b) -> GoStrings.compare(a.getAttributes().getId(), b.getAttributes().getId()) < 0);
        return ListContainerStatsResponse.newBuilder().addAllStats(sorted).build();
    }

    /** The table from two samples: CPU % is the usage delta over the timestamp delta. */
    static String table(List<ContainerStats> before, List<ContainerStats> after, boolean all) {
        Map<String, ContainerStats> old = new HashMap<>();
        for (ContainerStats st : before) {
            old.put(st.getAttributes().getId(), st);
        }
        TabTable t = TabTable.crictlDefault();
        t.addRow("CONTAINER", "NAME", "CPU %", "MEM", "DISK", "INODES", "SWAP");
        for (ContainerStats st : after) {
            String sid = st.getAttributes().getId();
            long cpu = st.getCpu().getUsageCoreNanoSeconds().getValue();
            long mem = st.getMemory().getWorkingSetBytes().getValue();
            long disk = st.getWritableLayer().getUsedBytes().getValue();
            long inodes = st.getWritableLayer().getInodesUsed().getValue();
            long swap = st.getSwap().getSwapUsageBytes().getValue();
            if (!all && cpu == 0 && mem == 0) {
                continue;
            }
            ContainerStats prev = old.get(sid);
            if (prev == null) {
                continue;
            }
            double cpuPerc = 0;
            if (cpu != 0) {
                long duration = st.getCpu().getTimestamp() - prev.getCpu().getTimestamp();
                if (duration == 0) {
                    throw fail("get container stats: cpu stat is not updated during sample");
                }
                cpuPerc = (double) (cpu - prev.getCpu().getUsageCoreNanoSeconds().getValue()) / duration * 100;
            }
            t.addRow(GoStrings.truncateId(sid, ""), st.getAttributes().getMetadata().getName(),
                    String.format(Locale.ROOT, "%.2f", cpuPerc),
                    HumanUnits.humanSize(HumanUnits.unsignedToDouble(mem)),
                    HumanUnits.humanSize(HumanUnits.unsignedToDouble(disk)), Long.toUnsignedString(inodes),
                    HumanUnits.humanSize(HumanUnits.unsignedToDouble(swap)));
        }
        return t.render();
    }
}
