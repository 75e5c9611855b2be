package dev.genpipe.api.edge;

import dev.genpipe.common.job.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Authenticates the admin: the presented token's SHA-256 compared with the configured token's by
 * {@link MessageDigest#isEqual} (constant time, and independent of either token's length). Neither is ever logged.
 */
final class AdminToken implements AuthenticationManager {

    private final byte[] digest;

    AdminToken(String token) {
        this.digest = digest(token);
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        if (!MessageDigest.isEqual(digest((String) presented.getCredentials()), digest)) {
            throw new BadCredentialsException("invalid admin token");
        }
        return EdgeSecurity.authenticated("admin", EdgeSecurity.ADMIN);
    }

    private static byte[] digest(String token) {
        return Fingerprints.sha256(token).getBytes(StandardCharsets.US_ASCII);
    }
}
