package io.berth.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.Golden;
import io.berth.cli.output.StatusOutputAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Tables, sizes, ages, YAML and encoding/json output against outputs of crictl's Go libraries. */
class GoldenFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> tablesMatchGoTabwriter() {
        return Golden.files("table", ".tsv").stream().map(tsv -> DynamicTest.dynamicTest(tsv.getFileName().toString(), () -> {
            TabTable t = TabTable.crictlDefault();
            String input = Golden.read(tsv);
            for (String line : input.substring(0, input.length() - 1).split("\n", -1)) {
                t.addRow(List.of(line.split("\t", -1)));
            }
            assertEquals(Golden.read(Golden.sibling(tsv, ".tsv", ".out")), t.render());
        }));
    }

    @TestFactory
    Stream<DynamicTest> sizesMatchGoUnits() {
        return lines(Golden.ROOT.resolve("units/sizes.out")).stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            String[] f = line.split("\t");
            double v = Double.parseDouble(f[0]);
            assertEquals(f[1], HumanUnits.humanSize(v), "HumanSize(" + f[0] + ")");
            assertEquals(f[2], HumanUnits.humanSizeWithPrecision(v, 3), "HumanSizeWithPrecision(" + f[0] + ", 3)");
        }));
    }

    @TestFactory
    Stream<DynamicTest> durationsMatchGoUnits() {
        return lines(Golden.ROOT.resolve("units/durations.out")).stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            String[] f = line.split("\t");
            assertEquals(f[1], HumanUnits.humanDuration(Duration.ofNanos(Long.parseLong(f[0]))));
        }));
    }

    @TestFactory
    Stream<DynamicTest> yamlMatchesGoYamlV2() {
        return Golden.files("yaml", ".json").stream().map(json -> DynamicTest.dynamicTest(json.getFileName().toString(), () -> {
            JsonNode tree = MAPPER.readTree(Golden.read(json));
            assertEquals(Golden.read(Golden.sibling(json, ".json", ".yaml")), GoYaml.fromProtojson(tree));
        }));
    }

    @TestFactory
    Stream<DynamicTest> statusJsonMatchesEncodingJson() {
        List<Path> inputs = new ArrayList<>(Golden.files("json", ".json"));
        inputs.removeIf(p -> p.getFileName().toString().endsWith(".out.json"));
        return inputs.stream().map(json -> DynamicTest.dynamicTest(json.getFileName().toString(), () -> {
            JsonNode tree = StatusOutputAccess.asFloat64Numbers(MAPPER.readTree(Golden.read(json)));
            assertEquals(Golden.read(Golden.sibling(json, ".json", ".out.json")), GoJson.encodingJson(tree) + "\n");
        }));
    }

    private static List<String> lines(Path p) {
        List<String> out = new ArrayList<>();
        for (String l : Golden.read(p).split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }
}
