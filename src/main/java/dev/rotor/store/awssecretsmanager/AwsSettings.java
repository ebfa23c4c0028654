package dev.rotor.store.awssecretsmanager;

import dev.rotor.manifest.Template;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/**
 * The rendered settings of one {@code type: aws-secrets-manager} store, checked before any network call; all problems
 * are reported together. No credential is a setting: the SDK's default chain finds them (see docs/aws-secrets-manager.md).
 * Plain Java only: the provider reads these at {@code validate}, which must not load the AWS SDK.
 */
record AwsSettings(String region, URI endpoint, String kmsKeyId, Map<String, String> tags, String journalPrefix) {
    static final String DOCS = "see docs/aws-secrets-manager.md for the settings of an aws-secrets-manager store";
    static final String JOURNAL_FOLDER = "rotor-journal";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** Secrets Manager's name characters: letters, digits and /_+=.@- (the API reference's NameType). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");

    AwsSettings {
        tags = Map.copyOf(tags);
    }

    /** The rendered settings, or a StoreException naming every problem. */
    static AwsSettings parse(String storeName, Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        AwsSettings parsed = read(settings, true, problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (aws-secrets-manager): "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()), DOCS);
        }
        return parsed;
    }

    /**
     * For validate: every problem of the manifest's settings, at its key; templated values are checked once rendered,
     * and a missing region is the validator's own "missing setting" (it is a required key).
     */
    static List<KeyProblem> check(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>();
        read(settings, false, problems);
        return problems;
    }

    private static AwsSettings read(Map<String, Object> settings, boolean rendered, List<KeyProblem> problems) {
        String region = text(settings, "region");
        if (region == null && rendered) {
            problems.add(problem("region", "set region (e.g. eu-central-1): the region that holds the secrets"));
        } else if (region != null && !Template.unrendered(region) && !REGION.matcher(region).matches()) {
            problems.add(problem("region", "region '" + region + "' is not an AWS region name such as eu-central-1"));
        }
        URI endpoint = null;
        String endpointText = text(settings, "endpoint");
        if (endpointText != null && !Template.unrendered(endpointText)) {
            try {
                endpoint = URI.create(endpointText);
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (endpoint == null || endpoint.getHost() == null
                    || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))) {
                problems.add(problem("endpoint", "endpoint must be an http(s) URL such as "
                        + "https://vpce-0abc-xyz.secretsmanager.eu-central-1.vpce.amazonaws.com"));
                endpoint = null;
            }
        }
        if (settings.containsKey("kms-key-id") && text(settings, "kms-key-id") == null) {
            problems.add(problem("kms-key-id", "kms-key-id is empty: give a KMS key id, alias/NAME or key ARN, "
                    + "or leave it out for the aws/secretsmanager key"));
        }
        Map<String, String> tags = tags(settings.get("tags"), problems);
        String prefix = text(settings, "journal-prefix");
        if (prefix != null) {
            prefix = trimSlashes(prefix);
            if (!Template.unrendered(prefix) && !NAME.matcher(prefix + "/" + JOURNAL_FOLDER + "/x").matches()) {
                problems.add(problem("journal-prefix", "journal-prefix '" + prefix + "' is not the start of a secret "
                        + "name (letters, digits and /_+=.@-)"));
            }
        }
        return new AwsSettings(region, endpoint, text(settings, "kms-key-id"), tags, prefix);
    }

    /** AWS's tag rules: a map of keys (1-128 characters, not starting with aws:) to values (at most 256). */
    private static Map<String, String> tags(Object value, List<KeyProblem> problems) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (value == null) {
            return tags;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(problem("tags", "tags must be a map of tag keys to values, e.g. { team: platform }"));
            return tags;
        }
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            String text = v == null ? "" : String.valueOf(v);
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                problems.add(problem("tags." + key, "the value of tag '" + key + "' must be text"));
            } else if (key.isEmpty() || key.length() > 128 || key.toLowerCase().startsWith("aws:")) {
                problems.add(problem("tags." + key, "tag key '" + key + "' must have 1 to 128 characters and not "
                        + "start with aws: (reserved by AWS)"));
            } else if (!Template.unrendered(text) && text.length() > 256) {
                problems.add(problem("tags." + key, "the value of tag '" + key + "' is longer than 256 characters"));
            } else {
                tags.put(key, text);
            }
        });
        return tags;
    }

    /** Null when a target name is a Secrets Manager secret name or ARN; else why not. */
    static String checkSecretId(String name) {
        if (name == null || name.isEmpty()) {
            return "a secret name must not be empty";
        }
        if (Template.unrendered(name) || ARN.matcher(name).matches() || NAME.matcher(name).matches()) {
            return null;
        }
        return "'" + name + "' is not a Secrets Manager secret name (1 to 512 letters, digits and /_+=.@-) or ARN";
    }

    static boolean isArn(String secretId) {
        return secretId.startsWith("arn:");
    }

    /** The journal secret of a rotation unit: {@code [journal-prefix/]rotor-journal/<unit>}. */
    String journalName(String unit) {
        return (journalPrefix == null || journalPrefix.isEmpty() ? "" : journalPrefix + "/") + JOURNAL_FOLDER + "/" + unit;
    }

    private static KeyProblem problem(String key, String message) {
        return new KeyProblem(key, message, DOCS);
    }


    private static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
    }

    private static String trimSlashes(String value) {
        String out = value;
        while (out.startsWith("/")) {
            out = out.substring(1);
        }
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
