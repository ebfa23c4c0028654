package dev.rotor.manifest;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindingsTest {
    private static final String VALUE = "p@ss:w/rd?#";

    private static EnvironmentSpec env(String name, Map<String, String> vars) {
        return new EnvironmentSpec(name, vars, Location.UNKNOWN);
    }

    private static Manifest manifest(EnvironmentSpec... envs) {
        Map<String, EnvironmentSpec> byName = new LinkedHashMap<>();
        for (EnvironmentSpec e : envs) {
            byName.put(e.name(), e);
        }
        return new Manifest(Path.of("m.yml"), 1, byName, Map.of(), Map.of(), List.of(), List.of());
    }

    private static Bindings bindings(EnvironmentSpec env, Map<String, String> processEnv) {
        return Bindings.of(manifest(env), env, processEnv);
    }

    @Test
    void rendersEnvironmentNamesVariablesAndProcessEnvironment() {
        EnvironmentSpec prod = env("prod-eu", Map.of("server", "pg-${env}", "host", "${vars.server}.example.org",
                "token", "${env:TOKEN}"));
        Bindings b = bindings(prod, Map.of("TOKEN", "t0k"));
        assertEquals("prod-eu/PROD_EU/pg-prod-eu.example.org/t0k",
                b.render("${env}/${ENV}/${vars.host}/${vars.token}"));
        assertEquals("literal ${env}", b.render("literal $${env}"));
    }

    @Test
    void aManifestWithoutEnvironmentsRendersEnvEmpty() {
        Bindings b = Bindings.of(manifest(), EnvironmentSpec.NONE, Map.of());
        assertEquals("app--key", b.render("app-${env}-key"));
    }

    @Test
    void secretEncodingsMakeAValueSafeInAUrl() {
        Bindings b = bindings(env("dev", Map.of("host", "db.example.org")), Map.of());
        String url = b.render("postgresql://app:${secret.url}@${vars.host}:5432/app", VALUE);
        assertEquals("postgresql://app:p%40ss%3Aw%2Frd%3F%23@db.example.org:5432/app", url);
        URI uri = URI.create(url);
        assertEquals("db.example.org", uri.getHost());
        assertEquals("app:" + VALUE, uri.getUserInfo());
        assertEquals(VALUE, b.render("${secret}", VALUE));
        assertEquals("cEBzczp3L3JkPyM=", b.render("${secret.base64}", VALUE));
        assertEquals("cEBzczp3L3JkPyM", b.render("${secret.base64url}", VALUE));
        assertEquals("704073733a772f72643f23", b.render("${secret.hex}", VALUE));
        assertEquals("a\\\"b\\\\c\\n", b.render("${secret.json}", "a\"b\\c\n"));
        assertEquals("a%20b~c%2A", b.render("${secret.url}", "a b~c*"));
    }

    @Test
    void theSecretIsNotAvailableWithoutAValue() {
        Bindings b = bindings(env("dev", Map.of()), Map.of());
        UnresolvedReferenceException e = assertThrows(UnresolvedReferenceException.class, () -> b.render("x${secret.url}"));
        assertEquals("secret.url", e.reference());
        assertEquals("secret", assertThrows(UnresolvedReferenceException.class,
                () -> b.render("x${secret}", (String) null)).reference());
        assertEquals("https://app-dev/healthz", b.render("https://app-${env}/healthz", (String) null),
                "a null value renders a template that does not use it");
    }

    @Test
    void failuresNameTheReferenceNeverAValue() {
        Bindings b = bindings(env("dev", Map.of("uses", "${env:MISSING}")), Map.of("OTHER", "s3cr3t-value"));
        UnresolvedReferenceException missing = assertThrows(UnresolvedReferenceException.class,
                () -> b.render("${vars.uses}", VALUE));
        assertTrue(missing.getMessage().contains("environment variable MISSING is not set"), missing.getMessage());
        assertFalse(missing.getMessage().contains(VALUE));
        UnresolvedReferenceException unknownVar = assertThrows(UnresolvedReferenceException.class,
                () -> b.render("${vars.nope}"));
        assertTrue(unknownVar.getMessage().contains("variable 'nope' is not defined in environment 'dev'"));
        UnresolvedReferenceException encoding = assertThrows(UnresolvedReferenceException.class,
                () -> b.render("${secret.rot13}", VALUE));
        assertFalse(encoding.getMessage().contains(VALUE));
        assertThrows(UnresolvedReferenceException.class, () -> b.render("${what}"));
    }

    @Test
    void cyclesAmongVariablesAreRefused() {
        EnvironmentSpec cyclic = env("dev", Map.of("a", "${vars.b}", "b", "x-${vars.c}", "c", "${vars.a}"));
        UnresolvedReferenceException e = assertThrows(UnresolvedReferenceException.class,
                () -> Bindings.of(manifest(cyclic), cyclic, Map.of()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void renderAllRendersEveryStringDeeplyAndKeepsOtherScalars() {
        Bindings b = bindings(env("dev", Map.of("rg", "rg-dev")), Map.of("TOKEN", "t"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("resource-group", "${vars.rg}");
        settings.put("port", 5432);
        settings.put("tls", true);
        settings.put("hosts", List.of("a-${env}", 7));
        settings.put("auth", Map.of("token", "${env:TOKEN}"));
        Map<String, Object> rendered = b.renderAll(settings);
        assertEquals(List.of("resource-group", "port", "tls", "hosts", "auth"), List.copyOf(rendered.keySet()));
        assertEquals("rg-dev", rendered.get("resource-group"));
        assertEquals(5432, rendered.get("port"));
        assertEquals(true, rendered.get("tls"));
        assertEquals(List.of("a-dev", 7), rendered.get("hosts"));
        assertEquals(Map.of("token", "t"), rendered.get("auth"));
    }
}
