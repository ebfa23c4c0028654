package dev.rotor.github;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.RSAPrivateKey;

import dev.rotor.store.StoreException;

/** Reads a GitHub App's PEM private key: PKCS#1 ("BEGIN RSA PRIVATE KEY", as GitHub issues it) or PKCS#8. */
public final class PemKeys {
    private PemKeys() {
    }

    public static PrivateKey rsaPrivateKey(String pem) {
        String text = pem.replace("\\n", "\n").trim();
        boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
        if (!pkcs1 && !text.contains("BEGIN PRIVATE KEY")) {
            throw invalid();
        }
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----")) {
                body.append(line.trim());
            }
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(body.toString());
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (!pkcs1) {
                return rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            RSAPrivateKey key = RSAPrivateKey.getInstance(der);
            return rsa.generatePrivate(new RSAPrivateCrtKeySpec(key.getModulus(), key.getPublicExponent(),
                    key.getPrivateExponent(), key.getPrime1(), key.getPrime2(), key.getExponent1(), key.getExponent2(),
                    key.getCoefficient()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw invalid();
        }
    }

    private static StoreException invalid() {
        return new StoreException(StoreException.Kind.INVALID, "private-key is not a PEM RSA private key",
                "pass the GitHub App's .pem file content, e.g. private-key: ${env:ROTOR_GITHUB_APP_KEY}");
    }
}
