package dev.rotor.store.awssecretsmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.Address;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Written;

/** The aws-secrets-manager store against the stateful double: staging labels, tokens, keys, errors and retries. */
class SecretsManagerStoreTest {
    private static final String NAME = "mindwell/dev/postgres/admin-password";
    private static final ObjectMapper JSON = new ObjectMapper();
    private SecretsManagerDouble aws;
    private SecretsManagerStores stores;
    private Store store;

    @BeforeEach
    void start() {
        aws = new SecretsManagerDouble();
        stores = new SecretsManagerStores();
        store = stores.open(aws);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private List<SecretsManagerDouble.Request> requests(String operation) {
        return aws.requests().stream().filter(r -> r.operation().equals(operation)).toList();
    }

    @Test
    void aWriteStagesUnderAwsPendingThenMovesAwsCurrentAsTheRotationTemplatesDo() {
        String old = aws.put(NAME, "value-before-rotor");

        Written written = store.write(Address.of(NAME), "new-value-0001");

        assertTrue(written.changed());
        SecretsManagerDouble.Request put = requests("PutSecretValue").get(0);
        assertEquals(List.of("AWSPENDING"), List.of(put.body().path("VersionStages").get(0).asText()));
        assertEquals(1, put.body().path("VersionStages").size());
        String token = put.body().path("ClientRequestToken").asText();
        assertTrue(token.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), token);
        assertEquals(token, written.version(), "the token is the new version's id");
        List<SecretsManagerDouble.Request> stages = requests("UpdateSecretVersionStage");
        assertEquals(2, stages.size());
        assertEquals("{\"SecretId\":\"" + NAME + "\",\"VersionStage\":\"AWSCURRENT\",\"RemoveFromVersionId\":\"" + old
                + "\",\"MoveToVersionId\":\"" + token + "\"}", sorted(stages.get(0).body()));
        assertEquals("{\"SecretId\":\"" + NAME + "\",\"VersionStage\":\"AWSPENDING\",\"RemoveFromVersionId\":\"" + token
                + "\"}", sorted(stages.get(1).body()));
        assertEquals(Map.of(old, List.of("AWSPREVIOUS"), token, List.of("AWSCURRENT")), aws.stages(NAME));
        assertEquals(Optional.of("new-value-0001"), aws.current(NAME));
    }

    /** The request's members in the order the API reference lists them, for a readable comparison. */
    private static String sorted(JsonNode body) {
        StringBuilder out = new StringBuilder("{");
        for (String member : List.of("SecretId", "VersionStage", "RemoveFromVersionId", "MoveToVersionId")) {
            if (body.has(member)) {
                out.append(out.length() > 1 ? "," : "").append('"').append(member).append("\":\"")
                        .append(body.get(member).asText()).append('"');
            }
        }
        assertEquals(out.toString().chars().filter(c -> c == ':').count(), body.size(), body.toString());
        return out.append('}').toString();
    }

    @Test
    void aReRunAfterACrashBetweenStageAndPromotePutsTheSameVersionAgainAndPromotesIt() {
        aws.put(NAME, "value-before-rotor");
        aws.deny("UpdateSecretVersionStage");
        StoreException crash = assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "pending-0002"));
        assertEquals(StoreException.Kind.PERMISSION, crash.kind());
        String pending = aws.holder(NAME, "AWSPENDING");
        assertEquals(Optional.of("pending-0002"), aws.stage(NAME, "AWSPENDING"));
        assertEquals(2, aws.versions(NAME));

        aws.allowAll();
        Store again = new SecretsManagerStores().open(aws);
        Written written = again.write(Address.of(NAME), "pending-0002");

        assertEquals(pending, written.version(), "the same token, so the same version: AWS ignored the repeated put");
        assertEquals(2, aws.versions(NAME), "no second version");
        assertEquals(Optional.of("pending-0002"), aws.current(NAME));
        assertEquals(Optional.empty(), aws.stage(NAME, "AWSPENDING"));
    }

    @Test
    void anAbandonedPendingValueOfTheSameStepIsFollowedByTheNextTokenNotOverwritten() {
        aws.put(NAME, "value-before-rotor");
        aws.deny("UpdateSecretVersionStage");
        assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "abandoned-0003"));
        String abandoned = aws.holder(NAME, "AWSPENDING");
        aws.allowAll();

        Written written = store.write(Address.of(NAME), "other-0004");

        assertNotEquals(abandoned, written.version());
        assertEquals(Optional.of("other-0004"), aws.current(NAME));
        assertEquals("abandoned-0003", aws.secret(NAME).versions.get(abandoned).string, "versions are never modified");
        assertEquals(Optional.empty(), aws.stage(NAME, "AWSPENDING"));
    }

    @Test
    void anEqualValueWritesNothingAndClearsAnAwsPendingAnUnfinishedWriteLeft() {
        aws.put(NAME, "value-before-rotor");
        aws.deny("UpdateSecretVersionStage");
        assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "never-promoted-0005"));
        aws.allowAll();
        String current = aws.holder(NAME, "AWSCURRENT");

        Written written = store.write(Address.of(NAME), "value-before-rotor");

        assertEquals(new Written(current, false), written);
        assertEquals(1, requests("PutSecretValue").size(), "only the unfinished write put a version");
        assertEquals(Optional.empty(), aws.stage(NAME, "AWSPENDING"), "AWS's own rotation would refuse to start");
    }

    @Test
    void aKeyIsSetInsideTheJsonSecretAndAConcurrentWriterOfAnotherKeyIsNeverLost() throws IOException {
        aws.put(NAME, "{\"username\":\"mindwelladmin\",\"host\":\"pgflex-mindwell-dev\",\"password\":\"old\"}");
        Address password = new Address(NAME, Map.of("key", "password"));
        aws.beforeNextPromote(() -> aws.put(NAME, "{\"username\":\"mindwelladmin\",\"host\":\"pgflex-mindwell-dev\","
                + "\"password\":\"old\",\"port\":\"5432\"}"));

        store.write(password, "new-password-0006");

        JsonNode held = JSON.readTree(aws.current(NAME).orElseThrow());
        assertEquals("mindwelladmin", held.path("username").asText());
        assertEquals("pgflex-mindwell-dev", held.path("host").asText());
        assertEquals("5432", held.path("port").asText(), "the other writer's key survives");
        assertEquals("new-password-0006", held.path("password").asText());
        assertEquals(4, held.size());
        assertEquals("new-password-0006", store.read(password).orElseThrow().value());
        assertTrue(stores.progress.stream().anyMatch(l -> l.equals("store 'aws' (aws-secrets-manager): secret " + NAME
                + " changed while " + NAME + " key password was written; reading it again to keep the other keys")),
                String.join("\n", stores.progress));
    }

    @Test
    void aMissingSecretIsCreatedWithTheKmsKeyAndTags() throws IOException {
        Store tagged = stores.open(aws, Map.of("kms-key-id", "alias/mindwell-dev",
                "tags", Map.of("team", "platform", "environment", "dev")));

        Written written = tagged.write(new Address(NAME, Map.of("key", "password")), "created-0007");

        assertTrue(written.changed());
        JsonNode create = requests("CreateSecret").get(0).body();
        assertEquals(NAME, create.path("Name").asText());
        assertEquals("alias/mindwell-dev", create.path("KmsKeyId").asText());
        assertEquals(Map.of("team", "platform", "environment", "dev"), aws.secret(NAME).tags);
        assertEquals("{\"password\":\"created-0007\"}", aws.current(NAME).orElseThrow());
        assertEquals(written.version(), aws.holder(NAME, "AWSCURRENT"));
    }

    @Test
    void anArnThatNamesNoSecretIsNotFoundAndNothingIsCreated() {
        String arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:gone-AbCdEf";
        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of(arn), "x-0008"));
        assertEquals(StoreException.Kind.NOT_FOUND, e.kind());
        StoreException preflight = assertThrows(StoreException.class, () -> store.preflight(List.of(Address.of(arn))));
        assertEquals(StoreException.Kind.NOT_FOUND, preflight.kind());
        assertTrue(requests("CreateSecret").isEmpty());
    }

    @Test
    void aSecretByArnIsWrittenInPlace() {
        aws.put(NAME, "before-0009");
        String arn = aws.secret(NAME).arn;
        store.write(Address.of(arn), "after-0009");
        assertEquals(Optional.of("after-0009"), aws.current(NAME));
    }

    @Test
    void aSecretScheduledForDeletionOrRotatedByAwsIsRefusedBeforeAnyWrite() {
        aws.put(NAME, "before-0010");
        aws.scheduleDeletion(NAME);
        StoreException deleted = assertThrows(StoreException.class, () -> store.preflight(List.of(Address.of(NAME))));
        assertEquals("store 'aws' (aws-secrets-manager): secret " + NAME + " is scheduled for deletion on "
                + "2026-12-31T00:00:00Z; Rotor neither writes nor recreates it", deleted.getMessage());
        assertEquals("restore it (aws secretsmanager restore-secret --secret-id " + NAME + ") or name another secret",
                deleted.suggestion());
        assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "after-0010"));

        aws.put("rotated", "before-0011");
        aws.enableRotation("rotated");
        StoreException rotated = assertThrows(StoreException.class, () -> store.write(Address.of("rotated"), "x-0011"));
        assertEquals(StoreException.Kind.INVALID, rotated.kind());
        assertTrue(rotated.getMessage().contains("is rotated by Secrets Manager itself"), rotated.getMessage());
        assertTrue(requests("PutSecretValue").isEmpty() && requests("CreateSecret").isEmpty());
    }

    @Test
    void aKeyInASecretThatIsNoJsonObjectIsRefusedWithoutQuotingIt() {
        aws.put(NAME, "plain-text-secret-0012");
        Address key = new Address(NAME, Map.of("key", "password"));
        StoreException e = assertThrows(StoreException.class, () -> store.preflight(List.of(key)));
        assertEquals("store 'aws' (aws-secrets-manager): secret " + NAME + " does not hold a JSON object, so key "
                + "password cannot be set in it", e.getMessage());
        assertThrows(StoreException.class, () -> store.write(key, "new-0012"));
        assertEquals(Optional.of("plain-text-secret-0012"), aws.current(NAME));
    }

    @Test
    void accessDeniedNamesTheIamActionAndTheSecretsArnPattern() {
        aws.put(NAME, "before-0013");
        aws.deny("PutSecretValue");
        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "secret-value-0013"));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'aws' (aws-secrets-manager): AWS denied secretsmanager:PutSecretValue on secret " + NAME
                + " (AccessDeniedException)", e.getMessage());
        assertEquals("allow secretsmanager:PutSecretValue on arn:aws:secretsmanager:eu-central-1:*:secret:" + NAME
                + "-?????? to the role Rotor runs as (docs/aws-secrets-manager.md lists every action Rotor uses)",
                e.suggestion());
        assertFalse(e.getMessage().contains("secret-value-0013") || e.suggestion().contains("secret-value-0013"));
    }

    @Test
    void throttlingIsRetriedByTheSdkEachRetryAProgressLineAndCounted() {
        aws.put(NAME, "before-0014");
        aws.failNext(1, 400, "ThrottlingException");

        store.write(Address.of(NAME), "after-0014");

        assertEquals(Optional.of("after-0014"), aws.current(NAME));
        assertEquals(1, stores.resends.count());
        assertEquals(1, stores.progress.stream().filter(l -> l.contains("attempt")).count(), stores.progress.toString());
        String line = stores.progress.stream().filter(l -> l.contains("attempt")).findFirst().orElseThrow();
        assertTrue(line.matches("store 'aws' \\(aws-secrets-manager\\): DescribeSecret got HTTP 400 "
                + "ThrottlingException; attempt 2 of 4 after \\d+\\.\\d s"), line);
    }

    @Test
    void a503ForeverIsBoundedToFourAttemptsAndEndsInOneClearLine() {
        aws.failNext(100, 503, null);

        StoreException e = assertThrows(StoreException.class, () -> store.write(Address.of(NAME), "value-0015"));

        assertEquals(StoreException.Kind.TRANSIENT, e.kind());
        assertEquals("store 'aws' (aws-secrets-manager): Secrets Manager at " + aws.endpoint() + " gave HTTP 503 to "
                + "DescribeSecret on secret " + NAME + " 4 times", e.getMessage());
        assertEquals(4, aws.requests().size());
        assertEquals(3, stores.resends.count());
        assertEquals(List.of("attempt 2 of 4", "attempt 3 of 4", "attempt 4 of 4"), stores.progress.stream()
                .map(l -> l.replaceAll(".*; (attempt \\d of \\d) after .*", "$1")).toList());
    }

    @Test
    void statusReadsLastChangedDate() {
        Instant before = Instant.now().minusSeconds(1);
        aws.put(NAME, "value-0016");
        Instant changed = store.updatedAt(Address.of(NAME)).orElseThrow();
        assertEquals(aws.secret(NAME).lastChanged.toEpochMilli(), changed.toEpochMilli());
        assertTrue(changed.isAfter(before));
        assertEquals(Optional.empty(), store.updatedAt(Address.of("absent")));
        assertTrue(requests("DescribeSecret").size() >= 2);
        assertTrue(requests("GetSecretValue").isEmpty(), "status reads no value");
    }

    @Test
    void theJournalIsASecretPerUnitWhoseCompareAndSetIsTheRemoveFromVersionIdCheck() {
        Store other = new SecretsManagerStores().open(aws);
        Address journal = store.journalAddress("db-password.prod");
        assertEquals(Address.of("rotor-journal/db-password.prod"), journal);
        assertEquals(Address.of("mindwell/rotor-journal/db-password.prod"),
                stores.open(aws, Map.of("journal-prefix", "/mindwell/")).journalAddress("db-password.prod"));
        String first = store.writeIfVersion(journal, "{\"revision\":1}", null).version();

        // The other run saves between this run's read and its promote: AWS refuses the stale RemoveFromVersionId.
        aws.beforeNextPromote(() -> other.writeIfVersion(journal, "{\"revision\":2,\"run\":\"other\"}", first));
        StoreException lost = assertThrows(StoreException.class,
                () -> store.writeIfVersion(journal, "{\"revision\":2,\"run\":\"this\"}", first));

        assertEquals(StoreException.Kind.CONFLICT, lost.kind());
        assertEquals(Optional.of("{\"revision\":2,\"run\":\"other\"}"), aws.current("rotor-journal/db-password.prod"));
        assertEquals(Optional.empty(), aws.stage("rotor-journal/db-password.prod", "AWSPENDING"),
                "the loser takes its AWSPENDING back");
        assertTrue(requests("UpdateSecretVersionStage").stream().anyMatch(r ->
                r.body().path("RemoveFromVersionId").asText().equals(first)
                        && r.body().path("VersionStage").asText().equals("AWSCURRENT")));
    }

    @Test
    void noCredentialsAnywhereIsOneLineNamingTheStoreTheOperationAndWhatToDo() {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
                && System.getenv("AWS_PROFILE") == null && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
                && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")), "this machine has AWS credentials");
        String imds = System.setProperty("aws.disableEc2Metadata", "true");
        try {
            Store anonymous = new AwsSecretsManagerProvider(SecretsManagerStores.FAST).openStore("aws",
                    Map.of("region", SecretsManagerDouble.REGION, "endpoint", aws.endpoint()),
                    new ProviderContext(Map.of(), Path.of("."), Clock.systemUTC(), line -> { }));
            StoreException e = assertThrows(StoreException.class, () -> anonymous.preflight(List.of(Address.of(NAME))));
            assertEquals(StoreException.Kind.PERMISSION, e.kind());
            assertEquals("store 'aws' (aws-secrets-manager): no AWS credentials for DescribeSecret on secret " + NAME
                    + ": the SDK's default chain found none (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity "
                    + "AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, a profile, a container or instance role)",
                    e.getMessage());
            assertTrue(aws.requests().isEmpty(), "nothing was sent unsigned");
        } finally {
            if (imds == null) {
                System.clearProperty("aws.disableEc2Metadata");
            } else {
                System.setProperty("aws.disableEc2Metadata", imds);
            }
        }
    }

    @Test
    void deletingAKeyRewritesTheJsonWithoutItThroughTheSameStagingAndKeepsAConcurrentWritersKey() throws IOException {
        String old = aws.put(NAME, "{\"jwt-secret-v1\":\"expired\",\"jwt-secret-v2\":\"live\",\"active-key\":\"jwt-secret-v2\"}");
        aws.beforeNextPromote(() -> aws.put(NAME, "{\"jwt-secret-v1\":\"expired\",\"jwt-secret-v2\":\"live\","
                + "\"active-key\":\"jwt-secret-v3\",\"jwt-secret-v3\":\"newer\"}"));

        store.delete(new Address(NAME, Map.of("key", "jwt-secret-v1")));

        assertEquals("{\"jwt-secret-v2\":\"live\",\"active-key\":\"jwt-secret-v3\",\"jwt-secret-v3\":\"newer\"}",
                aws.current(NAME).orElseThrow());
        assertEquals(2, requests("PutSecretValue").size(), "staged again after the other writer's change");
        requests("PutSecretValue").forEach(put -> assertEquals("AWSPENDING", put.body().path("VersionStages").get(0).asText()));
        assertTrue(aws.stages(NAME).values().stream().noneMatch(labels -> labels.contains("AWSPENDING")));
        assertNotEquals(old, aws.holder(NAME, "AWSCURRENT"));
        assertTrue(stores.progress.contains("store 'aws' (aws-secrets-manager): secret " + NAME + " changed while " + NAME
                + " key jwt-secret-v1 was deleted; reading it again to keep the other keys"), String.join("\n", stores.progress));
        assertTrue(requests("DeleteSecret").isEmpty(), "a key's delete never deletes the secret");
    }

    @Test
    void deletingAKeyThatIsGoneOrASecretThatIsMissingWritesNothing() {
        aws.put(NAME, "{\"jwt-secret-v2\":\"live\"}");
        store.delete(new Address(NAME, Map.of("key", "jwt-secret-v1")));
        store.delete(new Address("never/created", Map.of("key", "jwt-secret-v1")));
        store.delete(Address.of("never/created"));
        assertEquals(List.of("DescribeSecret", "GetSecretValue", "DescribeSecret", "DescribeSecret"), aws.operations());
        assertFalse(aws.exists("never/created"));
    }

    @Test
    void deletingAWholeSecretSchedulesItWithASevenDayRecoveryWindowAndNeverForces() {
        aws.put("app/jwt-secret-v1", "expired-0020");
        aws.put("app/jwt-secret-v2", "live-0020");

        store.delete(Address.of("app/jwt-secret-v1"));

        List<SecretsManagerDouble.Request> deletes = requests("DeleteSecret");
        assertEquals(1, deletes.size());
        assertEquals("{\"SecretId\":\"app/jwt-secret-v1\",\"RecoveryWindowInDays\":7}", deletes.get(0).body().toString());
        assertEquals(Optional.empty(), store.read(Address.of("app/jwt-secret-v1")).map(stored -> stored.value()),
                "a secret scheduled for deletion reads as gone");
        assertEquals(Optional.of("live-0020"), aws.current("app/jwt-secret-v2"));
        assertEquals(List.of("store 'aws' (aws-secrets-manager): secret app/jwt-secret-v1 scheduled for deletion in 7 days "
                + "(aws secretsmanager restore-secret undoes it until then)"), stores.progress);

        store.delete(Address.of("app/jwt-secret-v1"));
        assertEquals(1, requests("DeleteSecret").size(), "already scheduled: nothing sent again");
    }

    @Test
    void aDeniedDeleteSecretNamesTheIamAction() {
        aws.put("app/jwt-secret-v1", "expired-0021");
        aws.deny("DeleteSecret");
        StoreException e = assertThrows(StoreException.class, () -> store.delete(Address.of("app/jwt-secret-v1")));
        assertEquals(StoreException.Kind.PERMISSION, e.kind());
        assertEquals("store 'aws' (aws-secrets-manager): AWS denied secretsmanager:DeleteSecret on secret "
                + "app/jwt-secret-v1 (AccessDeniedException)", e.getMessage());
        assertTrue(e.suggestion().startsWith("allow secretsmanager:DeleteSecret on arn:aws:secretsmanager:eu-central-1:*:"
                + "secret:app/jwt-secret-v1-??????"), e.suggestion());
        assertEquals(Optional.of("expired-0021"), aws.current("app/jwt-secret-v1"));
    }
}
