package dev.rotor.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * An example manifest copied into a test's folder with only what points at servers moved to the test's own (hosts,
 * ports, addresses): the rest of the example runs as written.
 */
final class ExampleCopy {
    private ExampleCopy() {
    }

    static Path of(String example, Path dir, Consumer<ObjectNode> pointAtTheTestServers) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(Path.of("examples/manifests", example).toFile());
        pointAtTheTestServers.accept(root);
        Path copy = dir.resolve(example);
        yaml.writeValue(copy.toFile(), root);
        return copy;
    }
}
