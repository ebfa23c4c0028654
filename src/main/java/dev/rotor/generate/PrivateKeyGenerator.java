package dev.rotor.generate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A private key from the JDK's {@link KeyPairGenerator}, as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----},
 * 64-character lines, no trailing newline). Parsing uses Bouncy Castle's ASN.1 types and the JDK's KeyFactory.
 */
final class PrivateKeyGenerator implements Generator {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final Map<String, String> ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.110", "X25519",
            "1.3.101.111", "X448",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    /** The checks of one key type on a key that parsed with the expected algorithm. */
    interface KeyPolicy {
        void check(PrivateKeyInfo info, PrivateKey key, List<String> violations);
    }

    private final String algorithm;
    private final int maxDerBytes;
    private final KeyPairGenerator keyPairs;
    private final KeyPolicy policy;

    /** {@code algorithm} is the JCA name (RSA, EC, Ed25519); {@code parameters} its key size or curve. */
    PrivateKeyGenerator(String algorithm, AlgorithmParameterSpec parameters, int maxDerBytes, SecureRandom random,
                        KeyPolicy policy) {
        this.algorithm = algorithm;
        this.maxDerBytes = maxDerBytes;
        this.policy = policy;
        try {
            keyPairs = KeyPairGenerator.getInstance(algorithm);
            keyPairs.initialize(parameters, random);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + algorithm + " keys", e);
        }
    }

    /** The PEM of the largest DER encoding this key type produces: base64 in 64-character lines between the armor. */
    @Override
    public java.util.OptionalInt maxLength() {
        int base64 = (maxDerBytes + 2) / 3 * 4;
        return java.util.OptionalInt.of(BEGIN.length() + 1 + base64 + (base64 + 63) / 64 - 1 + 1 + END.length());
    }

    @Override
    public String generate() {
        byte[] encoded = keyPairs.generateKeyPair().getPrivate().getEncoded();
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(encoded);
        return BEGIN + "\n" + body + "\n" + END;
    }

    @Override
    public List<String> policyViolations(String value) {
        List<String> violations = new ArrayList<>();
        String pem = value.strip().replace("\r\n", "\n");
        if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----") || pem.startsWith("-----BEGIN EC PRIVATE KEY-----")) {
            violations.add("is a traditional (PKCS#1/SEC 1) key, the policy asks for PKCS#8 (BEGIN PRIVATE KEY)");
            return violations;
        }
        if (!pem.startsWith(BEGIN) || !pem.endsWith(END)) {
            violations.add("is not a PEM private key (" + BEGIN + " ... " + END + ")");
            return violations;
        }
        PrivateKeyInfo info;
        PrivateKey key;
        try {
            byte[] der = Base64.getDecoder().decode(pem.substring(BEGIN.length(), pem.length() - END.length())
                    .replace("\n", ""));
            info = PrivateKeyInfo.getInstance(der);
            ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
            String found = ALGORITHMS.getOrDefault(oid.getId(), "unsupported (OID " + oid.getId() + ")");
            if (!found.equals(algorithm)) {
                violations.add("is an " + found + " key, the policy asks for " + algorithm);
                return violations;
            }
            key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException
                 | GeneralSecurityException notAKey) {
            violations.add("does not parse as a PKCS#8 " + algorithm + " private key");
            return violations;
        }
        policy.check(info, key, violations);
        return violations;
    }
}
