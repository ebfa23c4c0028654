package dev.rotor.generate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;

import java.security.spec.ECGenParameterSpec;
import java.util.List;

/** {@code ec}: an EC private key on a NIST {@code curve} (P-256, P-384, P-521), named-curve encoded. */
final class EcKeys {
    static final Option<String> CURVE = Option.oneOf("curve", "P-256", List.of("P-256", "P-384", "P-521"));

    private static final java.util.Map<String, Integer> MAX_DER_BYTES = java.util.Map.of("P-256", 70, "P-384", 84, "P-521", 100);

    static final GeneratorType TYPE = new GeneratorType("ec", List.of(CURVE), (options, context) -> {
        String curve = options.get(CURVE);
        ASN1ObjectIdentifier oid = NISTNamedCurves.getOID(curve);
        // The JDK writes PKCS#8 EC keys without the public point: 67, 80 and 98 bytes for P-256, P-384 and P-521.
        return new PrivateKeyGenerator("EC", new ECGenParameterSpec(oid.getId()), MAX_DER_BYTES.get(curve), context.random(),
                (info, key, violations) -> {
                    Object parameters = info.getPrivateKeyAlgorithm().getParameters();
                    if (!(parameters instanceof ASN1ObjectIdentifier found)) {
                        violations.add("has explicit curve parameters, the policy asks for the named curve " + curve);
                    } else if (!found.equals(oid)) {
                        String name = NISTNamedCurves.getName(found);
                        violations.add("is on curve " + (name == null ? found.getId() : name)
                                + ", the policy asks for " + curve);
                    }
                });
    });

    private EcKeys() {
    }
}
