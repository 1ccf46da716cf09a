package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.cli.app.Session;
import io.berth.cli.output.ProtoJson;
import io.berth.cli.output.StatusOutput;
import io.berth.cri.v1.RuntimeHandler;
import io.berth.cri.v1.StatusRequest;
import io.berth.cri.v1.StatusResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", description = "Display information of the container runtime")
public final class InfoCommand extends CriCommand {
    @Option(names = {"-o", "--output"}, defaultValue = "json", description = "Output format, One of: json|yaml|go-template (default: \"json\")")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "Do not show verbose information (default: false)")
    boolean quiet;

    @Option(names = "--template", defaultValue = "", description = "The template string is only used when output is go-template; The Template format is golang template")
    String template;

    @Parameters(arity = "0..*", hidden = true)
    List<String> extra;

    @Override
    protected void run(Session s) {
        if (extra != null && !extra.isEmpty()) {
            throw showHelp();
        }
        StatusResponse r = rpc(s, "getting status of runtime",
                () -> s.runtime().status(StatusRequest.newBuilder().setVerbose(!quiet).build()));
        ArrayNode handlers = JsonNodeFactory.instance.arrayNode();
        for (RuntimeHandler h : r.getRuntimeHandlersList()) {
            handlers.add(ProtoJson.goStructTree(h));
        }
        StatusOutput.StatusData data = new StatusOutput.StatusData(
                // protojson prints a nil status as {}
                r.hasStatus() ? ProtoJson.tree(r.getStatus()) : JsonNodeFactory.instance.objectNode(),
                handlers, r.getInfoMap());
        s.out().print(StatusOutput.render(List.of(data), output, template));
    }
}
