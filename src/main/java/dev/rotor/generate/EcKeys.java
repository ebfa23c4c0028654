package dev.rotor.generate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;

import java.security.spec.ECGenParameterSpec;
import java.util.List;

/** {@code ec}: an EC private key on a NIST {@code curve} (P-256, P-384, P-521), named-curve encoded. */
final class EcKeys {
    static final Option<String> CURVE = Option.oneOf("curve", "P-256", List.of("P-256", "P-384", "P-521"));

    static final GeneratorType TYPE = new GeneratorType("ec", List.of(CURVE), (options, context) -> {
        String curve = options.get(CURVE);
        ASN1ObjectIdentifier oid = NISTNamedCurves.getOID(curve);
        // PKCS#8 EC with the public point: under 256 bytes up to P-521.
        return new PrivateKeyGenerator("EC", new ECGenParameterSpec(oid.getId()), 256, context.random(),
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
