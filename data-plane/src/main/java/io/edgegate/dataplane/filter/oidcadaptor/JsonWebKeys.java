package io.edgegate.dataplane.filter.oidcadaptor;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A provider's signing keys from its JWKS document (RFC 7517): RSA and EC (P-256/384/521) keys, by kid. */
record JsonWebKeys(List<Key> keys) {

    /** A key with its id (may be empty) and type (RSA or EC). */
    record Key(String kid, String kty, PublicKey key) {
    }

    static final JsonWebKeys NONE = new JsonWebKeys(List.of());
    private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

    JsonWebKeys {
        keys = List.copyOf(keys);
    }

    /** The keys of a JWKS document; keys of other types, or that do not parse, are left out. */
    static JsonWebKeys of(JsonNode document) {
        List<Key> keys = new ArrayList<>();
        for (JsonNode jwk : document.path("keys")) {
            String use = jwk.path("use").asText("sig");
            if (!use.equals("sig")) {
                continue;
            }
            try {
                String kty = jwk.path("kty").asText();
                if (kty.equals("RSA")) {
                    keys.add(new Key(jwk.path("kid").asText(""), kty, KeyFactory.getInstance("RSA")
                            .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")))));
                } else if (kty.equals("EC") && CURVES.containsKey(jwk.path("crv").asText())) {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec(CURVES.get(jwk.path("crv").asText())));
                    ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")),
                            parameters.getParameterSpec(ECParameterSpec.class));
                    keys.add(new Key(jwk.path("kid").asText(""), kty, KeyFactory.getInstance("EC").generatePublic(spec)));
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // A key we cannot read signs nothing we accept.
            }
        }
        return new JsonWebKeys(keys);
    }

    /** The keys that may have signed a token of {@code kid} (all of the type when the token names none). */
    List<PublicKey> candidates(String kid, String kty) {
        return keys.stream().filter(k -> k.kty().equals(kty) && (kid.isEmpty() || k.kid().equals(kid))).map(Key::key).toList();
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText()));
    }
}
