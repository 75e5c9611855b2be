package dev.genpipe.api.edge;

import dev.genpipe.api.clients.ApiKeyRegistry;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Authenticates a client by its API key; the principal is its {@link dev.genpipe.api.clients.Client}. */
final class ClientKeys implements AuthenticationManager {

    private final ApiKeyRegistry keys;

    ClientKeys(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        return keys.client((String) presented.getCredentials())
                .map(client -> EdgeSecurity.authenticated(client, EdgeSecurity.CLIENT))
                .orElseThrow(() -> new BadCredentialsException("unknown API key"));
    }
}
