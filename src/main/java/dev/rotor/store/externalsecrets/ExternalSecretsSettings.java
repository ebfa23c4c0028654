package dev.rotor.store.externalsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.rotor.azure.AzureSettings;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.Template;
import dev.rotor.store.kubernetes.ClusterSettings;

/** The rendered settings of one {@code type: external-secrets} store: the cluster, the sync timeout, the API version. */
record ExternalSecretsSettings(ClusterSettings cluster, Duration syncTimeout, String version) {
    static final String DOCS = "see docs/external-secrets.md for the settings of an external-secrets store";
    static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofMinutes(2);
    static final String GROUP = "external-secrets.io";
    static final List<String> VERSIONS = List.of("v1beta1", "v1");

    static ExternalSecretsSettings parse(String label, Map<String, Object> settings, Path baseDirectory) {
        return AzureSettings.parse(label, DOCS, problems -> read(settings, baseDirectory, problems));
    }

    static List<KeyProblem> check(Map<String, Object> settings) {
        return AzureSettings.check(problems -> read(settings, null, problems));
    }

    private static ExternalSecretsSettings read(Map<String, Object> settings, Path baseDirectory,
                                                List<KeyProblem> problems) {
        ClusterSettings cluster = ClusterSettings.read(settings, baseDirectory, DOCS, problems);
        Duration timeout = ClusterSettings.duration(settings, "sync-timeout", DEFAULT_SYNC_TIMEOUT, DOCS, problems);
        String apiVersion = AzureSettings.text(settings, "api-version");
        String version = VERSIONS.get(0);
        if (apiVersion != null && !Template.unrendered(apiVersion)) {
            String bare = apiVersion.startsWith(GROUP + "/") ? apiVersion.substring(GROUP.length() + 1) : apiVersion;
            if (VERSIONS.contains(bare)) {
                version = bare;
            } else {
                problems.add(new KeyProblem("api-version", "api-version must be " + GROUP + "/v1beta1 or " + GROUP
                        + "/v1 (the version the cluster's External Secrets Operator serves)", DOCS));
            }
        }
        return new ExternalSecretsSettings(cluster, timeout, version);
    }
}
