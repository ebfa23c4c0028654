package dev.rotor.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rotor.store.postgres.EmbeddedServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** What the example tests share: the example as written, pointed at the test's servers, and a clean server. */
final class Examples {
    private Examples() {
    }

    /**
     * The example manifest copied into a test's folder with only what points at servers moved to the test's own
     * (hosts, ports, addresses): the rest of the example runs as written.
     */
    static Path copy(String example, Path dir, Consumer<ObjectNode> pointAtTheTestServers) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(Path.of("examples/manifests", example).toFile());
        pointAtTheTestServers.accept(root);
        Path copy = dir.resolve(example);
        yaml.writeValue(copy.toFile(), root);
        return copy;
    }

    /** Drops the roles a previous run left on the shared PostgreSQL, with their privileges and objects. */
    static void dropRoles(EmbeddedServer postgres, String namePattern) {
        postgres.sql("""
                DO $$ DECLARE r text; BEGIN
                  FOR r IN SELECT rolname FROM pg_roles WHERE rolname ~ '%s' LOOP
                    EXECUTE format('DROP OWNED BY %%I', r); EXECUTE format('DROP ROLE %%I', r);
                  END LOOP;
                END $$""".formatted(namePattern));
    }
}
