package io.berth.cli.command;

import io.berth.cli.CommandRegistry;
import io.berth.cli.app.CliException;
import io.berth.cli.app.ShowHelpException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = "Output shell completion code",
        footer = {"", "Output shell completion code for bash, zsh or fish.", "", "Examples:", "",
            "    # Installing bash completion on Linux", "    source <(berthctl completion bash)", "",
            "    # Installing zsh completion on Linux", "    source <(berthctl completion zsh)", "",
            "    # Installing fish completion on Linux", "    berthctl completion fish | source"})
public final class CompletionCommand implements Callable<Integer> {
    static final List<String> GLOBAL_FLAGS = List.of("--config", "--debug", "--image-endpoint", "--runtime-endpoint",
            "--timeout", "--help", "--version");

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "SHELL")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String shell = args.isEmpty() ? "bash" : args.get(0);
        if (args.size() > 1) {
            throw new ShowHelpException();
        }
        out.print(switch (shell) {
            case "bash" -> bash();
            case "zsh" -> zsh();
            case "fish" -> fish();
            default -> throw new CliException("only bash, zsh or fish are supported");
        });
        out.flush();
        return 0;
    }

    static String bash() {
        List<String> words = new ArrayList<>();
        for (CommandRegistry.Entry e : CommandRegistry.ALL) {
            words.add(e.name());
            words.addAll(e.aliases());
        }
        words.add("help");
        words.add("h");
        words.addAll(GLOBAL_FLAGS);
        return "_berthctl() {\n"
                + "    local cur opts base\n"
                + "    COMPREPLY=()\n"
                + "    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
                + "    opts=\"" + String.join("\n", words) + "\"\n"
                + "    COMPREPLY=( $(compgen -W \"${opts}\" -- ${cur}) )\n"
                + "    return 0\n"
                + "}\n"
                + "\n"
                + "complete -F _berthctl berthctl\n";
    }

    static String zsh() {
        List<String> cmds = new ArrayList<>();
        for (CommandRegistry.Entry e : CommandRegistry.ALL) {
            cmds.add(e.name() + ":" + e.usage().replace("'", "'\\''"));
            for (String a : e.aliases()) {
                cmds.add(a + ":" + e.usage().replace("'", "'\\''"));
            }
        }
        cmds.add("help:Shows a list of commands or help for one command");
        cmds.add("h:Shows a list of commands or help for one command");
        return "#compdef berthctl\n\n"
                + "_berthctl() {\n"
                + "  local -a cmds\n"
                + "  cmds=('" + String.join("' '", cmds) + "')\n"
                + "  _describe 'commands' cmds\n\n"
                + "  local -a opts\n"
                + "  opts=('" + String.join("' '", GLOBAL_FLAGS) + "')\n"
                + "  _describe 'global options' opts\n\n"
                + "  return\n"
                + "}\n\n"
                + "compdef _berthctl berthctl\n";
    }

    static String fish() {
        StringBuilder sb = new StringBuilder("# berthctl fish shell completion\n\n");
        sb.append("function __fish_berthctl_no_subcommand --description 'Test if there has been any subcommand yet'\n")
          .append("    for i in (commandline -opc)\n")
          .append("        if contains -- $i");
        for (CommandRegistry.Entry e : CommandRegistry.ALL) {
            sb.append(' ').append(e.name());
            for (String a : e.aliases()) {
                sb.append(' ').append(a);
            }
        }
        sb.append(" help h\n            return 1\n        end\n    end\n    return 0\nend\n\n");
        for (String flag : GLOBAL_FLAGS) {
            sb.append("complete -c berthctl -n '__fish_berthctl_no_subcommand' -l ").append(flag.substring(2)).append('\n');
        }
        for (CommandRegistry.Entry e : CommandRegistry.ALL) {
            sb.append("complete -r -c berthctl -n '__fish_berthctl_no_subcommand' -a '").append(e.name());
            for (String a : e.aliases()) {
                sb.append(' ').append(a);
            }
            sb.append("' -d '").append(e.usage().replace("'", "\\'")).append("'\n");
        }
        return sb.toString();
    }
}
