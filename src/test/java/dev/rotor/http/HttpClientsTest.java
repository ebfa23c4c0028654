package dev.rotor.http;

import dev.rotor.http.HttpClients;
import dev.rotor.testing.Keytool;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GitHub Enterprise Server behind a private CA, and runners behind a proxy (issue 3, item 3). */
class HttpClientsTest {
    @TempDir
    Path dir;
    private WireMockServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aCaBundleIsTrustedExactlyAndOtherwiseTheJdkTrustStoreDecides() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path ca = dir.resolve("ca.pem");
        Keytool.run("-genkeypair", "-alias", "ghes", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
        Keytool.run("-exportcert", "-rfc", "-alias", "ghes", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort().keystorePath(keystore.toString())
                .keystorePassword("changeit").keyManagerPassword("changeit").keystoreType("PKCS12"));
        server.start();
        server.stubFor(get("/api/v3/zen").willReturn(aResponse().withStatus(200).withBody("ok")));
        URI zen = URI.create("https://localhost:" + server.httpsPort() + "/api/v3/zen");

        HttpClient trusting = HttpClients.create(Map.of(), ca);
        assertEquals(200, trusting.send(HttpRequest.newBuilder(zen).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpClient jdkDefaults = HttpClients.create(Map.of(), null);
        assertThrows(SSLHandshakeException.class,
                () -> jdkDefaults.send(HttpRequest.newBuilder(zen).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void httpsProxyCarriesTheRequestsUnlessNoProxyNamesTheHost() throws Exception {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get("/zen").willReturn(aResponse().withStatus(200).withBody("via proxy")));
        URI target = URI.create("http://github.example.invalid/zen");

        HttpClient proxied = HttpClients.create(Map.of("HTTPS_PROXY", "http://127.0.0.1:" + server.port()), null);
        HttpResponse<String> response = proxied.send(HttpRequest.newBuilder(target).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("via proxy", response.body());
        server.verify(getRequestedFor(urlEqualTo("/zen")).withHeader("Host", equalTo("github.example.invalid")));

        HttpClient bypassing = HttpClients.create(Map.of("https_proxy", "127.0.0.1:" + server.port(),
                "NO_PROXY", "localhost,.example.invalid"), null);
        assertThrows(java.io.IOException.class,
                () -> bypassing.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofString()));
        server.verify(1, getRequestedFor(urlEqualTo("/zen")));
    }
}
