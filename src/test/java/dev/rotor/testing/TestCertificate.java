package dev.rotor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per test JVM with the JDK's
 * keytool: a PKCS12 key store for an HTTPS double (WireMock's {@code keystorePath}) and its PEM for a store's
 * {@code ca-bundle}. Azure's token credentials send a bearer token only over HTTPS, so their doubles need one.
 */
public final class TestCertificate {
    public static final String PASSWORD = "double-keystore";
    private static TestCertificate instance;

    private final Path keyStore;
    private final Path pem;

    private TestCertificate(Path directory) {
        keyStore = directory.resolve("localhost.p12");
        pem = directory.resolve("localhost.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "localhost", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-file", pem.toString()));
    }

    public static synchronized TestCertificate get() {
        if (instance == null) {
            try {
                Path directory = Files.createTempDirectory("rotor-tls-");
                directory.toFile().deleteOnExit();
                instance = new TestCertificate(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public Path keyStore() {
        return keyStore;
    }

    /** The certificate as PEM: the CA bundle that trusts the double and nothing else. */
    public Path pem() {
        return pem;
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
