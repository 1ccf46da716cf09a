package io.berth.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The template engine against Go's text/template run by crictl's tmplExecuteRawJSON on the same data. */
class GoTemplateGoldenTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> templatesMatchGoTextTemplate() {
        return Golden.files("template", ".tmpl").stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> {
            String src = Golden.read(t);
            src = src.endsWith("\n") ? src.substring(0, src.length() - 1) : src;
            var data = MAPPER.readTree(Golden.read(Golden.sibling(t, ".tmpl", ".data.json")));
            String actual;
            try {
                actual = GoTemplate.parse("tmplExecuteRawJSON", src).execute(data);
            } catch (TemplateException e) {
                actual = "ERROR: failed to template data: " + e.getMessage();
            }
            assertEquals(Golden.read(Golden.sibling(t, ".tmpl", ".out")), actual);
        }));
    }
}
