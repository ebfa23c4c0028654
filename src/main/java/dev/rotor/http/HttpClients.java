package dev.rotor.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.rotor.store.StoreException;

/** Builds the JDK HTTP client every HTTP store uses: HTTPS_PROXY / NO_PROXY from the environment, an optional PEM CA bundle. */
public final class HttpClients {
    private HttpClients() {
    }

    public static HttpClient create(Map<String, String> environment, Path caBundle) {
        return builder(environment, caBundle).build();
    }

    /** The same settings as a builder, for SDKs that wrap the JDK client themselves (Azure's JdkHttpClientBuilder). */
    public static HttpClient.Builder builder(Map<String, String> environment, Path caBundle) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySelector proxy = proxySelector(environment);
        if (proxy != null) {
            builder.proxy(proxy);
        }
        if (caBundle != null) {
            builder.sslContext(sslContext(caBundle));
        }
        return builder;
    }

    /** HTTPS_PROXY (or https_proxy), skipping hosts listed in NO_PROXY; null when no proxy is set. */
    static ProxySelector proxySelector(Map<String, String> environment) {
        String value = first(environment, "HTTPS_PROXY", "https_proxy");
        if (value == null || value.isBlank()) {
            return null;
        }
        URI uri = URI.create(value.contains("://") ? value.trim() : "http://" + value.trim());
        if (uri.getHost() == null) {
            throw new StoreException(StoreException.Kind.INVALID, "HTTPS_PROXY is not a host:port or URL");
        }
        InetSocketAddress address = InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        List<String> noProxy = new ArrayList<>();
        String skip = first(environment, "NO_PROXY", "no_proxy");
        if (skip != null) {
            for (String entry : skip.split(",")) {
                if (!entry.isBlank()) {
                    noProxy.add(entry.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI target) {
                String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
                for (String entry : noProxy) {
                    String suffix = entry.startsWith(".") ? entry.substring(1) : entry;
                    if (entry.equals("*") || host.equals(suffix) || host.endsWith("." + suffix)) {
                        return List.of(Proxy.NO_PROXY);
                    }
                }
                return List.of(new Proxy(Proxy.Type.HTTP, address));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // the request itself reports the failure
            }
        };
    }

    /** Trusts exactly the certificates of a PEM bundle (as curl's --cacert does). */
    static SSLContext sslContext(Path caBundle) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new StoreException(StoreException.Kind.INVALID, "ca-bundle " + caBundle + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException(StoreException.Kind.INVALID, "ca-bundle " + caBundle + " cannot be read as PEM certificates",
                    "point ca-bundle at a PEM file of the CA certificates that sign the server's certificate");
        }
    }

    private static String first(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
