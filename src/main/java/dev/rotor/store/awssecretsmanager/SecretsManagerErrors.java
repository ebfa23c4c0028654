package dev.rotor.store.awssecretsmanager;

import java.util.Set;

import dev.rotor.store.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Turns the SDK's exceptions into one line naming the store, the operation (which is also the IAM action), the secret
 * and AWS's error code. Never the SDK's message: a service message may quote a request, and credentials errors list
 * every provider of the chain.
 */
final class SecretsManagerErrors {
    /** Error codes of a request AWS could not authenticate (not an authorisation failure: the identity itself). */
    private static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch",
            "IncompleteSignature", "MissingAuthenticationToken", "RequestExpired");

    /** STS's answers to a web identity it will not exchange: the trust policy or the token (not transient). */
    private static final Set<String> REFUSED_IDENTITY = Set.of("AccessDenied", "InvalidIdentityToken",
            "IDPRejectedClaim", "ExpiredTokenException", "RegionDisabledException");

    private final String storeName;
    private final AwsSettings settings;
    /** The role assumed with a web identity token; null when the credentials come from elsewhere. */
    private final String role;

    SecretsManagerErrors(String storeName, AwsSettings settings, String role) {
        this.storeName = storeName;
        this.settings = settings;
        this.role = role;
    }

    String prefix() {
        return "store '" + storeName + "' (aws-secrets-manager): ";
    }

    StoreException map(String operation, String secretId, SdkException e) {
        String where = operation + " on secret " + secretId;
        StsException sts = stsCause(e);
        if (sts != null) {
            return stsFailure(where, sts);
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            int status = service.statusCode();
            String answer = code == null ? "HTTP " + status : code;
            if ("AccessDeniedException".equals(code)) {
                return new StoreException(StoreException.Kind.PERMISSION, prefix() + "AWS denied secretsmanager:"
                        + operation + " on secret " + secretId + " (AccessDeniedException)", permissionHint(operation, secretId));
            }
            if (code != null && BAD_CREDENTIALS.contains(code)) {
                return new StoreException(StoreException.Kind.PERMISSION, prefix() + "AWS refused the credentials for "
                        + where + " (" + code + ")", "the credentials are invalid or expired: in GitHub Actions, run "
                        + "aws-actions/configure-aws-credentials (role-to-assume, permissions: id-token: write) in the same job");
            }
            if ("DecryptionFailure".equals(code) || "EncryptionFailure".equals(code)) {
                return new StoreException(StoreException.Kind.PERMISSION, prefix() + "Secrets Manager could not use the "
                        + "secret's KMS key for " + where + " (" + code + ")", "allow kms:Decrypt and kms:GenerateDataKey "
                        + "on the key to the role Rotor runs as, and check that the key is enabled");
            }
            if ("ResourceNotFoundException".equals(code)) {
                return new StoreException(StoreException.Kind.NOT_FOUND, prefix() + "no secret " + secretId + " in "
                        + settings.region() + " (" + where + ": ResourceNotFoundException)",
                        "check the target's name and the store's region");
            }
            if ("InvalidRequestException".equals(code)) {
                return new StoreException(StoreException.Kind.INVALID, prefix() + "Secrets Manager refused " + where
                        + ": the secret's state does not allow it (InvalidRequestException)", "is it scheduled for "
                        + "deletion (aws secretsmanager restore-secret --secret-id " + secretId + ") or managed by "
                        + "another AWS service?");
            }
            if ("LimitExceededException".equals(code)) {
                return new StoreException(StoreException.Kind.FAILED, prefix() + "Secrets Manager refused " + where
                        + ": a quota is exhausted (LimitExceededException)", "a secret keeps at most about 100 versions "
                        + "older than a day: rotate it less often than every 10 minutes");
            }
            if (service.isThrottlingException() || status >= 500) {
                return transientFailure(where, answer, e);
            }
            return new StoreException(StoreException.Kind.FAILED, prefix() + "Secrets Manager answered " + answer
                    + " (HTTP " + status + ") to " + where);
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().startsWith("Unable to load credentials")) {
            return new StoreException(StoreException.Kind.PERMISSION, prefix() + "no AWS credentials for " + where
                    + ": the SDK's default chain found none (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity "
                    + "AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, a profile, a container or instance role)",
                    "in GitHub Actions, run aws-actions/configure-aws-credentials with role-to-assume before Rotor, "
                            + "with permissions: id-token: write");
        }
        return transientFailure(where, "no answer (" + e.getClass().getSimpleName() + ")", e);
    }

    /** The credentials provider's STS call failed, as the cause of the call that needed the credentials (or itself). */
    private static StsException stsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StsException sts) {
                return sts;
            }
        }
        return null;
    }

    /** Names the role and STS's error code; never the token, and not STS's message (it may quote the token's claims). */
    private StoreException stsFailure(String where, StsException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String assume = "AssumeRoleWithWebIdentity for role " + role;
        if (code != null && REFUSED_IDENTITY.contains(code)) {
            return new StoreException(StoreException.Kind.PERMISSION, prefix() + "AWS STS refused " + assume + " ("
                    + code + "), so " + where + " has no credentials", "the role's trust policy must allow "
                    + "sts:AssumeRoleWithWebIdentity to this token's issuer, audience (sts.amazonaws.com) and subject "
                    + "(repo:OWNER/REPO:environment:NAME); in GitHub Actions the job needs permissions: id-token: write");
        }
        boolean transientFault = e.isThrottlingException() || e.statusCode() >= 500;
        Integer attempts = e.numAttempts();
        String message = prefix() + "AWS STS gave " + (code == null ? "" : code + " ") + "(HTTP " + e.statusCode()
                + ") to " + assume + (attempts == null ? "" : " " + attempts + " times") + ", so " + where
                + " has no credentials";
        return transientFault ? new StoreException(StoreException.Kind.TRANSIENT, message, "re-run later")
                : new StoreException(StoreException.Kind.PERMISSION, message);
    }

    private StoreException transientFailure(String where, String answer, SdkException e) {
        Integer attempts = e.numAttempts();
        return new StoreException(StoreException.Kind.TRANSIENT, prefix() + "Secrets Manager"
                + (settings.endpoint() == null ? " in " + settings.region() : " at " + settings.endpoint()) + " gave "
                + answer + " to " + where + (attempts == null ? "" : " " + attempts + " times"),
                "re-run later: every Rotor write to Secrets Manager is idempotent");
    }

    /** The IAM statement that would have allowed it: the action on the secret's ARN pattern (and what comes with it). */
    private String permissionHint(String operation, String secretId) {
        String tagging = "CreateSecret".equals(operation) && !settings.tags().isEmpty()
                ? " and secretsmanager:TagResource" : "";
        String kms = settings.kmsKeyId() == null ? ""
                : ", and kms:GenerateDataKey and kms:Decrypt on key " + settings.kmsKeyId();
        return "allow secretsmanager:" + operation + tagging + " on " + arnPattern(secretId) + kms
                + " to the role Rotor runs as (docs/aws-secrets-manager.md lists every action Rotor uses)";
    }

    private String arnPattern(String secretId) {
        if (AwsSettings.isArn(secretId)) {
            return secretId;
        }
        String region = settings.region();
        String partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        // AWS appends a dash and six random characters to every secret's ARN.
        return "arn:" + partition + ":secretsmanager:" + region + ":*:secret:" + secretId + "-??????";
    }
}
