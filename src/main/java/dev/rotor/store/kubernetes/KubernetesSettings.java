package dev.rotor.store.kubernetes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import dev.rotor.azure.AzureSettings;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.Template;

/**
 * The rendered settings of one {@code type: kubernetes} store: how to reach the cluster, how long a restarted
 * workload may take to roll out, and the prefix of the journal Secrets. One reading for validate and for opening.
 */
record KubernetesSettings(ClusterSettings cluster, Duration rolloutTimeout, String journalPrefix) {
    static final String DOCS = "see docs/kubernetes.md for the settings of a kubernetes store";
    static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(5);
    static final String DEFAULT_JOURNAL_PREFIX = "rotor-journal";
    /** Room for "." + a unit name within a Secret name's 253 characters. */
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    static KubernetesSettings parse(String label, Map<String, Object> settings, Path baseDirectory) {
        return AzureSettings.parse(label, DOCS, problems -> read(settings, baseDirectory, problems));
    }

    static java.util.List<KeyProblem> check(Map<String, Object> settings) {
        return AzureSettings.check(problems -> read(settings, null, problems));
    }

    private static KubernetesSettings read(Map<String, Object> settings, Path baseDirectory,
                                           java.util.List<KeyProblem> problems) {
        ClusterSettings cluster = ClusterSettings.read(settings, baseDirectory, DOCS, problems);
        Duration rollout = ClusterSettings.duration(settings, "rollout-timeout", DEFAULT_ROLLOUT_TIMEOUT, DOCS, problems);
        String prefix = AzureSettings.text(settings, "journal-prefix");
        if (prefix == null) {
            prefix = DEFAULT_JOURNAL_PREFIX;
        } else if (!Template.unrendered(prefix) && !PREFIX.matcher(prefix).matches()) {
            problems.add(new KeyProblem("journal-prefix", "journal-prefix '" + prefix + "' must be lower-case letters, "
                    + "digits and '-' (at most 63): the journal of unit U is the Secret PREFIX.U", DOCS));
        }
        return new KubernetesSettings(cluster, rollout, prefix);
    }
}
