package dev.rotor.store.awssecretsmanager;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * AWS STS's query protocol for AssumeRoleWithWebIdentity on WireMock: {@code POST /} with an
 * {@code application/x-www-form-urlencoded} body {@code Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=…
 * &RoleSessionName=…&WebIdentityToken=…}, unsigned; the answer {@code text/xml} in the 2011-06-15 namespace,
 * {@code AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult/Credentials{AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration}} with the assumed role, and an error as {@code ErrorResponse/Error{Type, Code, Message}}
 * with {@code RequestId}. Shapes: aws-sdk-java-v2 {@code services/sts/.../codegen-resources/service-2.json} (protocol
 * {@code query}, resultWrapper, xmlNamespace) and its query protocol tests ({@code test/protocol-tests-core/.../
 * query-output.json}: {@code <OpResponse><OpResult>…</OpResult><ResponseMetadata>}).
 */
final class StsDouble implements AutoCloseable {
    static final String ROLE = "arn:aws:iam::" + SecretsManagerDouble.ACCOUNT + ":role/rotor-mindwell";
    /** What a GitHub OIDC token looks like (a JWT); it must never reach Rotor's output. */
    static final String TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOm1pbmR3ZWxsL2luZnJhOmVudmlyb25tZW50OmRldiJ9.c2lnbmF0dXJlLW9mLXRoZS1kb3VibGU";
    static final String ACCESS_KEY = "ASIAROTORWEBIDENTITY";
    static final String SECRET_KEY = "web/identity/temporary/secret/key/000000";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEROTORDOUBLEsessiontoken//////////wEaDGV1LWNlbnRyYWwtMSJHMEUCIQ";
    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final WireMockServer server;

    StsDouble() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        server.stubFor(post(urlEqualTo("/"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("Action", equalTo("AssumeRoleWithWebIdentity"))
                .withFormParam("Version", equalTo("2011-06-15"))
                .withFormParam("RoleArn", equalTo(ROLE))
                .withFormParam("WebIdentityToken", equalTo(TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withHeader("x-amzn-RequestId", "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
                        .withBody("<AssumeRoleWithWebIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
                                + "  <AssumeRoleWithWebIdentityResult>\n"
                                + "    <Audience>sts.amazonaws.com</Audience>\n"
                                + "    <AssumedRoleUser>\n"
                                + "      <Arn>arn:aws:sts::" + SecretsManagerDouble.ACCOUNT + ":assumed-role/rotor-mindwell/"
                                + "GitHubActions</Arn>\n"
                                + "      <AssumedRoleId>AROAROTORDOUBLE00001:GitHubActions</AssumedRoleId>\n"
                                + "    </AssumedRoleUser>\n"
                                + "    <Provider>arn:aws:iam::" + SecretsManagerDouble.ACCOUNT + ":oidc-provider/"
                                + "token.actions.githubusercontent.com</Provider>\n"
                                + "    <Credentials>\n"
                                + "      <AccessKeyId>" + ACCESS_KEY + "</AccessKeyId>\n"
                                + "      <SecretAccessKey>" + SECRET_KEY + "</SecretAccessKey>\n"
                                + "      <SessionToken>" + SESSION_TOKEN + "</SessionToken>\n"
                                + "      <Expiration>" + expiration + "</Expiration>\n"
                                + "    </Credentials>\n"
                                + "    <SubjectFromWebIdentityToken>repo:mindwell/infra:environment:dev"
                                + "</SubjectFromWebIdentityToken>\n"
                                + "  </AssumeRoleWithWebIdentityResult>\n"
                                + "  <ResponseMetadata>\n"
                                + "    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
                                + "  </ResponseMetadata>\n"
                                + "</AssumeRoleWithWebIdentityResponse>\n")));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The role's trust policy does not admit the token: 403 AccessDenied, as STS answers then. */
    void refuse() {
        server.stubFor(post(urlEqualTo("/")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml")
                        .withBody("<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                                + "  <Error>\n"
                                + "    <Type>Sender</Type>\n"
                                + "    <Code>AccessDenied</Code>\n"
                                + "    <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>\n"
                                + "  </Error>\n"
                                + "  <RequestId>8d2a1b7e-0e6b-4c51-9a39-2f0c7b0e5d11</RequestId>\n"
                                + "</ErrorResponse>\n")));
    }

    /** The form fields of every request received. */
    List<Map<String, String>> requests() {
        return server.findAll(postRequestedFor(urlEqualTo("/"))).stream().map(StsDouble::form).toList();
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        request.getFormParameters().forEach((name, value) -> fields.put(name, value.firstValue()));
        fields.put("Authorization", request.getHeader("Authorization"));
        return fields;
    }

    @Override
    public void close() {
        server.stop();
    }
}
