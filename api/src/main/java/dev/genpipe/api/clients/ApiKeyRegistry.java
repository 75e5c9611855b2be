package dev.genpipe.api.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configured API keys, held as SHA-256 digests only ("hashed at rest"): a presented key is hashed and looked up.
 * Keys are long random strings, so a plain digest is enough (no password stretching needed).
 */
final class ApiKeyRegistry {

    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9._-]{1,64}):([0-9a-fA-F]{64})");

    private final Map<String, String> clientByDigest = new HashMap<>();

    ApiKeyRegistry(Iterable<String> entries) {
        for (String entry : entries) {
            var m = ENTRY.matcher(entry.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("genpipe.clients.api-keys: each entry must be clientId:sha256hex "
                        + "(64 hex digits of the key's SHA-256); one is not");
            }
            String previous = clientByDigest.put(m.group(2).toLowerCase(Locale.ROOT), m.group(1));
            if (previous != null) {
                throw new IllegalArgumentException("genpipe.clients.api-keys: the same key is configured twice");
            }
        }
    }

    int size() {
        return clientByDigest.size();
    }

    Optional<Client> client(String presentedKey) {
        return Optional.ofNullable(clientByDigest.get(digest(presentedKey))).map(Client::new);
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
