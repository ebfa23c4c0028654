package dev.rotor.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JWK Set (RFC 7517) of the public keys that belong to Rotor's PKCS#8 PEM private keys, as the keyset strategy
 * renders it for {@code ${secret.jwks}}: verifiers fetch it to accept tokens signed by any live key version.
 */
public final class Jwks {
    private static final JsonFactory JSON = new JsonFactory();
    /** The JWS algorithm (RFC 7518 section 3.4) of each NIST curve Rotor's {@code ec} generator offers. */
    private static final Map<String, String> EC_ALGORITHMS =
            Map.of("P-256", "ES256", "P-384", "ES384", "P-521", "ES512");

    private Jwks() {
    }

    /**
     * Compact JSON {@code {"keys":[...]}}, one JWK per entry in the map's order, members in a fixed order
     * ({@code kid, kty, use, alg}, then the key type's public members).
     *
     * @param pemByKid key id → PKCS#8 PEM private key (RSA, EC P-256/P-384/P-521 or Ed25519)
     * @throws IllegalArgumentException naming the key id (never the value) when a value is not such a key
     */
    public static String publicKeys(LinkedHashMap<String, String> pemByKid) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("keys");
            for (Map.Entry<String, String> entry : pemByKid.entrySet()) {
                writeKey(json, entry.getKey(), privateKey(entry.getKey(), entry.getValue()));
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to a string", e);
        }
        return out.toString();
    }

    /** Parse failures keep no cause: a parser's message may quote bytes of the key. */
    private static AsymmetricKeyParameter privateKey(String kid, String value) {
        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(value))) {
            pem = reader.readPemObject();
        } catch (IOException | RuntimeException notPem) {
            pem = null;
        }
        if (pem == null || !pem.getType().equals("PRIVATE KEY")) {
            throw notASigningKey(kid, "is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        try {
            return PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pem.getContent()));
        } catch (IOException | RuntimeException notPkcs8) {
            throw notASigningKey(kid, "does not parse as a PKCS#8 private key");
        }
    }

    private static void writeKey(JsonGenerator json, String kid, AsymmetricKeyParameter key) throws IOException {
        json.writeStartObject();
        json.writeStringField("kid", kid);
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            writeHeader(json, "RSA", "RS256");
            // Unsigned big-endian in as few octets as hold the value (RFC 7518 section 6.3.1).
            writeBase64url(json, "n", BigIntegers.asUnsignedByteArray(rsa.getModulus()));
            writeBase64url(json, "e", BigIntegers.asUnsignedByteArray(rsa.getPublicExponent()));
        } else if (key instanceof ECPrivateKeyParameters ec) {
            String curve = nistCurve(ec.getParameters());
            if (!EC_ALGORITHMS.containsKey(curve)) {
                throw notASigningKey(kid, "is an EC key on a curve other than P-256, P-384 or P-521");
            }
            writeHeader(json, "EC", EC_ALGORITHMS.get(curve));
            json.writeStringField("crv", curve);
            // The JDK's PKCS#8 EC encoding leaves out the public point, so it is computed: Q = d·G.
            ECPoint q = new FixedPointCombMultiplier().multiply(ec.getParameters().getG(), ec.getD()).normalize();
            // Field-element encodings have the curve's fixed length (RFC 7518 section 6.2.1.2).
            writeBase64url(json, "x", q.getAffineXCoord().getEncoded());
            writeBase64url(json, "y", q.getAffineYCoord().getEncoded());
        } else if (key instanceof Ed25519PrivateKeyParameters ed25519) {
            writeHeader(json, "OKP", "EdDSA");
            json.writeStringField("crv", "Ed25519");
            writeBase64url(json, "x", ed25519.generatePublicKey().getEncoded());
        } else {
            throw notASigningKey(kid, "is not an RSA (with CRT values), EC or Ed25519 private key");
        }
        json.writeEndObject();
    }

    /** The NIST name (P-256...) of a named curve; "" for other curves and explicit parameters. */
    private static String nistCurve(ECDomainParameters parameters) {
        String name = parameters instanceof ECNamedDomainParameters named
                ? NISTNamedCurves.getName(named.getName()) : null;
        return name == null ? "" : name;
    }

    private static IllegalArgumentException notASigningKey(String kid, String problem) {
        return new IllegalArgumentException("JWKS key '" + kid + "' " + problem);
    }

    private static void writeBase64url(JsonGenerator json, String member, byte[] bytes) throws IOException {
        json.writeStringField(member, ByteEncoding.BASE64URL.encode(bytes));
    }

    private static void writeHeader(JsonGenerator json, String kty, String alg) throws IOException {
        json.writeStringField("kty", kty);
        json.writeStringField("use", "sig");
        json.writeStringField("alg", alg);
    }
}
