package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.format.GoStrings;
import io.berth.cli.format.HumanUnits;
import io.berth.cli.format.TabTable;
import io.berth.cli.output.ProtoJson;
import io.berth.cri.v1.ListPodSandboxStatsRequest;
import io.berth.cri.v1.ListPodSandboxStatsResponse;
import io.berth.cri.v1.PodSandboxStats;
import io.berth.cri.v1.PodSandboxStatsFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "statsp", description = "List pod statistics. Stats represent a structured API that will fulfill the Kubelet's /stats/summary endpoint.")
public final class PodStatsCommand extends CriCommand {
    @Option(names = "--id", defaultValue = "", description = "Filter by pod id")
    String id;

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
        String pid = id.isEmpty() && !args.isEmpty() ? args.get(0) : id;
        if (args.size() > 1) {
            throw showHelp();
        }
        PodSandboxStatsFilter.Builder filter = PodSandboxStatsFilter.newBuilder().putAllLabelSelector(Labels.parse(labels));
        if (!pid.isEmpty()) {
            filter.setId(pid);
        }
        ListPodSandboxStatsRequest request = ListPodSandboxStatsRequest.newBuilder().setFilter(filter).build();
        Watch.run(watch, () -> display(s, request));
    }

    private void display(Session s, ListPodSandboxStatsRequest request) {
        ListPodSandboxStatsResponse first = fetch(s, request);
        if (output.equals("json")) {
            s.out().print(ProtoJson.json(first) + "\n");
            return;
        }
        if (output.equals("yaml")) {
            s.out().print(ProtoJson.yaml(first) + "\n");
            return;
        }
        Watch.sleep(Duration.ofSeconds(seconds));
        ListPodSandboxStatsResponse second = fetch(s, request);
        s.out().print(StatsCommand.CLEAR_SCREEN + table(first.getStatsList(), second.getStatsList()));
        s.out().flush();
    }

    private static ListPodSandboxStatsResponse fetch(Session s, ListPodSandboxStatsRequest request) {
        List<PodSandboxStats> stats = rpc(s, "get pod stats: list pod sandbox stats",
                () -> s.runtime().listPodSandboxStats(request)).getStatsList();
        List<PodSandboxStats> sorted = ImageNames.sorted(stats,
                (a, b) -> GoStrings.compare(a.getAttributes().getId(), b.getAttributes().getId()) < 0);
        return ListPodSandboxStatsResponse.newBuilder().addAllStats(sorted).build();
    }

    static String table(List<PodSandboxStats> before, List<PodSandboxStats> after) {
        Map<String, PodSandboxStats> old = new HashMap<>();
        for (PodSandboxStats st : before) {
            old.put(st.getAttributes().getId(), st);
        }
        TabTable t = TabTable.crictlDefault();
        t.addRow("POD", "POD ID", "CPU %", "MEM");
        for (PodSandboxStats st : after) {
            String sid = GoStrings.truncateId(st.getAttributes().getId(), "");
            if (st.hasLinux() && st.hasWindows()) {
                throw fail("get pod stats: pod \"" + sid + "\" has both linux and windows stats which is not supported");
            }
            long cpu = 0;
            long mem = 0;
            long ts = 0;
            if (st.hasLinux()) {
                cpu = st.getLinux().getCpu().getUsageCoreNanoSeconds().getValue();
                mem = st.getLinux().getMemory().getWorkingSetBytes().getValue();
                ts = st.getLinux().getCpu().getTimestamp();
            } else if (st.hasWindows()) {
                cpu = st.getWindows().getCpu().getUsageCoreNanoSeconds().getValue();
                mem = st.getWindows().getMemory().getWorkingSetBytes().getValue();
                ts = st.getWindows().getCpu().getTimestamp();
            }
            if (cpu == 0 && mem == 0) {
                continue;
            }
            PodSandboxStats prev = old.get(st.getAttributes().getId());
            if (prev == null) {
                continue;
            }
            long oldCpu = st.hasLinux() ? prev.getLinux().getCpu().getUsageCoreNanoSeconds().getValue()
                    : prev.getWindows().getCpu().getUsageCoreNanoSeconds().getValue();
            long oldTs = st.hasLinux() ? prev.getLinux().getCpu().getTimestamp() : prev.getWindows().getCpu().getTimestamp();
            double cpuPerc = 0;
            if (cpu != 0) {
                long duration = ts - oldTs;
                if (duration == 0) {
                    throw fail("get pod stats: cpu stat is not updated during sample");
                }
                cpuPerc = (double) (cpu - oldCpu) / duration * 100;
            }
            t.addRow(st.getAttributes().getMetadata().getName(), sid, String.format(Locale.ROOT, "%.2f", cpuPerc),
                    HumanUnits.humanSize(HumanUnits.unsignedToDouble(mem)));
        }
        return t.render();
    }
}
