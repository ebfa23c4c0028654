package dev.rotor.store.awssecretsmanager;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

/**
 * Where a store's AWS credentials come from, read from the run's environment ({@code ProviderContext.environment()},
 * which is the process environment of the CLI) rather than the JVM's, so that what the SDK's default chain would
 * find is also what an in-process run is given:
 * <ol>
 * <li>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN}): what
 * aws-actions/configure-aws-credentials exports by default;</li>
 * <li>web identity, {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN} (+ {@code AWS_ROLE_SESSION_NAME}):
 * STS {@code AssumeRoleWithWebIdentity} with the token file, at {@code AWS_REGION}'s STS endpoint or
 * {@code AWS_ENDPOINT_URL_STS} (the SDK's own variable for it), as the default chain's web identity provider does
 * (EKS service accounts, or a job that writes GitHub's OIDC token to a file);</li>
 * <li>otherwise the SDK's default chain (profiles, SSO, container and instance roles).</li>
 * </ol>
 */
final class AwsCredentials {
    /** The role of a web identity, for error messages; null when the credentials come from elsewhere. */
    final String role;
    final AwsCredentialsProvider provider;

    private AwsCredentials(String role, AwsCredentialsProvider provider) {
        this.role = role;
        this.provider = provider;
    }

    static AwsCredentials from(Map<String, String> environment, String storeRegion, SdkHttpClient http,
                               ClientOverrideConfiguration overrides) {
        String id = value(environment, "AWS_ACCESS_KEY_ID");
        String secret = value(environment, "AWS_SECRET_ACCESS_KEY");
        String token = value(environment, "AWS_SESSION_TOKEN");
        if (id != null && secret != null) {
            return new AwsCredentials(null, StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token)));
        }
        String tokenFile = value(environment, "AWS_WEB_IDENTITY_TOKEN_FILE");
        String role = value(environment, "AWS_ROLE_ARN");
        if (tokenFile != null && role != null) {
            return new AwsCredentials(role, webIdentity(environment, storeRegion, tokenFile, role, http, overrides));
        }
        return new AwsCredentials(null, DefaultCredentialsProvider.builder().build());
    }

    /**
     * The request is not signed (AssumeRoleWithWebIdentity authenticates by the token), so the STS client has
     * anonymous credentials; its retries and HTTP client are the store's. The token file is read at each refresh,
     * as the SDK's own provider does (the runner or kubelet may rewrite it).
     */
    private static AwsCredentialsProvider webIdentity(Map<String, String> environment, String storeRegion,
                                                      String tokenFile, String role, SdkHttpClient http,
                                                      ClientOverrideConfiguration overrides) {
        String region = value(environment, "AWS_REGION");
        if (region == null) {
            region = value(environment, "AWS_DEFAULT_REGION");
        }
        StsClientBuilder sts = StsClient.builder()
                .region(Region.of(region == null ? storeRegion : region))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(http)
                .overrideConfiguration(overrides);
        String endpoint = value(environment, "AWS_ENDPOINT_URL_STS");
        if (endpoint != null) {
            sts.endpointOverride(URI.create(endpoint));
        }
        String session = value(environment, "AWS_ROLE_SESSION_NAME");
        return StsWebIdentityTokenFileCredentialsProvider.builder()
                .stsClient(sts.build())
                .roleArn(role)
                .webIdentityTokenFile(Path.of(tokenFile))
                // the SDK's default is aws-sdk-java-<millis>; CloudTrail shows this name beside the role
                .roleSessionName(session == null ? "rotor-" + System.currentTimeMillis() : session)
                .build();
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
