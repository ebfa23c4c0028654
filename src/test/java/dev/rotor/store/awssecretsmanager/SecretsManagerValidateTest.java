package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;

/** `rotor validate` reports every aws-secrets-manager rule at its position, and loads no AWS SDK class to do it. */
class SecretsManagerValidateTest {
    private static final String DOCS = " (see docs/aws-secrets-manager.md for the settings of an aws-secrets-manager store)";
    @TempDir
    Path dir;

    @Test
    void everySettingAndTargetRuleIsReportedAtItsPosition() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: { vars: { region: eu-central-1 } }
                stores:
                  bad: { type: aws-secrets-manager, region: Frankfurt, endpoint: "localhost:4566", kms-key-id: "" }
                  tagged: { type: aws-secrets-manager, region: "${vars.region}", tags: { "aws:owner": x, team: [a] } }
                  noregion: { type: aws-secrets-manager, token: "${env:AWS_SECRET_ACCESS_KEY}" }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    targets:
                      - { store: tagged, name: "mindwell/${env}/api token" }
                      - { store: tagged, name: "mindwell/${env}/api", key: "" }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        assertEquals(List.of(
                "5:45: error: stores.bad.region: region 'Frankfurt' is not an AWS region name such as eu-central-1" + DOCS,
                "5:66: error: stores.bad.endpoint: endpoint must be an http(s) URL such as "
                        + "https://vpce-0abc-xyz.secretsmanager.eu-central-1.vpce.amazonaws.com" + DOCS,
                "5:96: error: stores.bad.kms-key-id: kms-key-id is empty: give a KMS key id, alias/NAME or key ARN, or "
                        + "leave it out for the aws/secretsmanager key" + DOCS,
                "6:87: error: stores.tagged.tags.aws:owner: tag key 'aws:owner' must have 1 to 128 characters and not "
                        + "start with aws: (reserved by AWS)" + DOCS,
                "6:96: error: stores.tagged.tags.team: the value of tag 'team' must be text" + DOCS,
                "7:3: error: stores.noregion.region: missing setting 'region' for a store of type aws-secrets-manager "
                        + "(add 'region:')",
                "7:42: error: stores.noregion.token: unknown key 'token' (valid aws-secrets-manager settings: endpoint, "
                        + "journal-prefix, kms-key-id, region, tags)",
                "12:32: error: secrets.api-token.targets[0].name: target name 'mindwell/dev/api token' is not valid for "
                        + "store 'tagged' (type aws-secrets-manager) in environment 'dev': 'mindwell/dev/api token' is "
                        + "not a Secrets Manager secret name (1 to 512 letters, digits and /_+=.@-) or ARN",
                "13:60: error: secrets.api-token.targets[1].key: key must be the name of a key inside the secret's "
                        + "JSON object" + DOCS),
                errors, r.err());
        assertFalse(r.all().contains("software.amazon"), r.all());
    }

    /** validate must stay fast: the provider is found on every run, so it must not pull the SDK in (issue 7). */
    @Test
    void validateLoadsNoAwsSdkClass() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                stores:
                  aws: { type: aws-secrets-manager, region: eu-central-1, tags: { team: platform } }
                secrets:
                  api-token:
                    generate: { type: uuid }
                    journal: aws
                    targets:
                      - { store: aws, name: mindwell/dev/api, key: token }
                """);
        RotorJar.Running validate = RotorJar.classes("validate", "-m", file.toString())
                .jvm("-Xshare:off", "-verbose:class").start(dir.resolve("out.txt"));
        assertEquals(0, validate.exit(), validate.output());
        List<String> loaded = validate.output().lines().filter(l -> l.contains("[class,load]")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.rotor.store.awssecretsmanager.AwsSecretsManagerProvider")),
                "the provider itself was used");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains("software.amazon")).toList());
    }
}
