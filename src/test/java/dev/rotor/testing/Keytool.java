package dev.rotor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the JDK's keytool, for tests that serve HTTPS with a certificate of their own. */
public final class Keytool {
    private Keytool() {
    }

    public static void run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        RotorRunner.Result ran = RotorJar.program(command.toArray(String[]::new)).run();
        assertEquals(0, ran.exit(), ran.all());
    }
}
