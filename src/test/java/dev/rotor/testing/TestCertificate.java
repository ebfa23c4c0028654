package dev.rotor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        try {
            Keytool.run("-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            Keytool.run("-exportcert", "-rfc", "-alias", "localhost", "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD, "-file", pem.toString());
        } catch (Exception e) {
            throw new IllegalStateException("keytool could not make the test certificate", e);
        }
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
}
