package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorRunner;

/**
 * No access keys anywhere: only a web identity token file and a role (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN,
 * AWS_REGION, AWS_ROLE_SESSION_NAME, with AWS_ENDPOINT_URL_STS pointing at the double). The store exchanges the token
 * at STS (AssumeRoleWithWebIdentity) and signs Secrets Manager's requests with the temporary credentials it got.
 * The environment is the run's (RotorRunner's map), not the JVM's: the SDK's own default chain would not see it.
 */
class SecretsManagerWebIdentityTest {
    private static final String MANIFEST = """
            version: 1
            environments:
              dev: {}
            stores:
              aws: { type: aws-secrets-manager, region: eu-central-1, endpoint: "%s", journal-prefix: mindwell }
            secrets:
              postgres-admin-password:
                generate: { type: password, length: 32 }
                journal: aws
                targets:
                  - { store: aws, name: "mindwell/${env}/postgres/admin-password" }
            """;
    private static final String SECRET = "mindwell/dev/postgres/admin-password";

    @TempDir
    Path dir;
    private StsDouble sts;
    private SecretsManagerDouble aws;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        sts = new StsDouble();
        aws = new SecretsManagerDouble(StsDouble.ACCESS_KEY);
        Files.writeString(dir.resolve("rotation.yml"), MANIFEST.formatted(aws.endpoint()));
        Path token = Files.writeString(dir.resolve("oidc-token"), StsDouble.TOKEN);
        env.put("GITHUB_ACTIONS", "true");
        env.put("AWS_ROLE_ARN", StsDouble.ROLE);
        env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
        env.put("AWS_REGION", SecretsManagerDouble.REGION);
        env.put("AWS_ROLE_SESSION_NAME", "GitHubActions");
        env.put("AWS_ENDPOINT_URL_STS", sts.endpoint());
    }

    @AfterEach
    void stop() {
        aws.close();
        sts.close();
    }

    private RotorRunner.Result rotate() {
        return RotorRunner.run(env, "rotate", "-e", "dev", "-m", dir.resolve("rotation.yml").toString());
    }

    @Test
    void theRoleIsAssumedAtStsWithTheTokenFileAndSecretsManagerIsSignedWithTheTemporaryCredentials() {
        RotorRunner.Result result = rotate();

        assertEquals(0, result.exit(), result.all());
        List<Map<String, String>> exchanges = sts.requests();
        assertEquals(1, exchanges.size(), "one exchange for the whole run: the temporary credentials are reused");
        for (Map<String, String> form : exchanges) {
            assertEquals("AssumeRoleWithWebIdentity", form.get("Action"));
            assertEquals("2011-06-15", form.get("Version"));
            assertEquals(StsDouble.ROLE, form.get("RoleArn"));
            assertEquals("GitHubActions", form.get("RoleSessionName"));
            assertEquals(StsDouble.TOKEN, form.get("WebIdentityToken"));
            assertEquals(null, form.get("Authorization"), "the token authenticates the call: it is not signed");
        }
        List<String> tokens = aws.headers("X-Amz-Security-Token");
        List<String> signatures = aws.headers("Authorization");
        assertFalse(tokens.isEmpty());
        for (int i = 0; i < tokens.size(); i++) {
            assertEquals(StsDouble.SESSION_TOKEN, tokens.get(i), "request " + i + " carries the session token");
            assertTrue(signatures.get(i).startsWith("AWS4-HMAC-SHA256 Credential=" + StsDouble.ACCESS_KEY + "/"),
                    "request " + i + " is signed with the temporary key: " + signatures.get(i));
        }
        assertTrue(aws.current(SECRET).isPresent(), "the secret was written");
        assertEquals(Optional.empty(), aws.stage(SECRET, "AWSPENDING"));
        for (String credential : List.of(StsDouble.TOKEN, StsDouble.SESSION_TOKEN, StsDouble.SECRET_KEY)) {
            assertFalse(result.all().contains(credential), "no credential in the output");
        }
    }

    @Test
    void aRefusedAssumeRoleWithWebIdentityIsOneLineNamingTheStoreTheOperationAndTheRoleNeverTheToken() {
        sts.refuse();

        RotorRunner.Result result = rotate();

        assertEquals(4, result.exit(), result.all());
        assertTrue(result.all().contains("store 'aws' (aws-secrets-manager): AWS STS refused "
                + "AssumeRoleWithWebIdentity for role " + StsDouble.ROLE + " (AccessDenied), so DescribeSecret on "
                + "secret mindwell/rotor-journal/postgres-admin-password.dev has no credentials"), result.all());
        assertFalse(result.all().contains(StsDouble.TOKEN), "never the token");
        assertFalse(result.all().contains("Not authorized"), "not STS's message");
        assertFalse(result.all().contains("\tat ") || result.all().contains("Exception:"), "no stack trace");
        assertEquals(1, sts.requests().size(), "AccessDenied is not retried");
        assertEquals(List.of(), aws.operations(), "no request to Secrets Manager without credentials");
    }
}
