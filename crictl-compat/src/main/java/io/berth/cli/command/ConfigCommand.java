package io.berth.cli.command;

import io.berth.cli.BerthctlCommand;
import io.berth.cli.app.CliException;
import io.berth.cli.app.ShowHelpException;
import io.berth.cli.config.CrictlConfig;
import io.berth.cli.config.CrictlConfigFile;
import io.berth.cli.format.TabTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "config", description = "Get, set and list crictl configuration options",
        footer = {"", "EXAMPLES:",
            "   # Set the key \"debug\" to \"true\"", "   berthctl config --set debug=true", "",
            "   # Set the key \"debug\" to \"true\"", "   berthctl config debug true", "",
            "   # Get the value of \"debug\"", "   berthctl config --get debug", "",
            "   # Show the full configuration", "   berthctl config --list", "",
            "CRICTL OPTIONS:",
            "   runtime-endpoint:     Container Runtime Interface (CRI) runtime endpoint (default: \"\")",
            "   image-endpoint:       Container Runtime Interface (CRI) image endpoint (default: \"\")",
            "   timeout:              Timeout of connecting to server (default: 2)",
            "   debug:                Enable debug output (default: false)",
            "   pull-image-on-create: Enable pulling image on create requests (default: false)",
            "   disable-pull-on-run:  Disable pulling image on run requests (default: false)"})
public final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    BerthctlCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show help")
    boolean help;

    @Option(names = "--get", description = "Show the option value")
    String get;

    @Option(names = "--set", description = "Set option (can specify multiple or separate values with commas: opt1=val1,opt2=val2)")
    List<String> set = new ArrayList<>();

    @Option(names = "--list", description = "Show all option value")
    boolean list;

    @Parameters(arity = "0..*", paramLabel = "KEY VALUE")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path path = Path.of(root.configPath());
        try {
            if (!Files.exists(path)) {
                CrictlConfigFile.write(path, CrictlConfig.empty());
            }
            CrictlConfig config;
            try {
                config = CrictlConfigFile.read(path);
            } catch (IllegalArgumentException e) {
                throw new CliException("load config file: " + e.getMessage());
            }
            if (get != null) {
                try {
                    out.print(config.get(get) + "\n");
                } catch (IllegalArgumentException e) {
                    throw new CliException(e.getMessage());
                }
            } else if (!set.isEmpty()) {
                for (String setting : set) {
                    for (String option : setting.split(",", -1)) {
                        String[] pair = option.split("=", -1);
                        if (pair.length != 2) {
                            throw new CliException("incorrectly specified option: " + setting);
                        }
                        config = with(config, pair[0], pair[1], null);
                    }
                }
                CrictlConfigFile.write(path, config);
            } else if (list) {
                TabTable t = TabTable.crictlDefault();
                t.addRow("KEY", "VALUE");
                t.addRow(CrictlConfig.RUNTIME_ENDPOINT, config.runtimeEndpoint());
                t.addRow(CrictlConfig.IMAGE_ENDPOINT, config.imageEndpoint());
                t.addRow(CrictlConfig.TIMEOUT, Integer.toString(config.timeout()));
                t.addRow(CrictlConfig.DEBUG, Boolean.toString(config.debug()));
                t.addRow(CrictlConfig.PULL_IMAGE_ON_CREATE, Boolean.toString(config.pullImageOnCreate()));
                t.addRow(CrictlConfig.DISABLE_PULL_ON_RUN, Boolean.toString(config.disablePullOnRun()));
                out.print("\033[2J\033[H" + t.render());
            } else {
                if (args.isEmpty() || args.get(0).isEmpty()) {
                    throw new ShowHelpException();
                }
                String key = args.get(0);
                String value = args.size() > 1 ? args.get(1) : "";
                root.log().info("No --get, --set or --list provided, setting key \"" + key + "\" to value \"" + value + "\"");
                config = with(config, key, value, "set \"" + key + "\" to \"" + value + "\": ");
                CrictlConfigFile.write(path, config);
            }
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        out.flush();
        return 0;
    }

    private static CrictlConfig with(CrictlConfig config, String key, String value, String prefix) {
        try {
            return config.with(key, value);
        } catch (IllegalArgumentException e) {
            throw new CliException((prefix == null ? "" : prefix) + e.getMessage());
        }
    }
}
