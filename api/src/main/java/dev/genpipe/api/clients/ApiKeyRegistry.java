package dev.genpipe.api.clients;

import dev.genpipe.common.job.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API keys, held as SHA-256 digests only ("hashed at rest"): a presented key is hashed and compared
 * with every configured digest in constant time ({@link MessageDigest#isEqual}, without stopping at a match), so how
 * long an answer takes says nothing about how close a guess was. Keys are long random strings, so a plain digest is
 * enough (no password stretching needed).
 */
public final class ApiKeyRegistry {

    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9._-]{1,64}):([0-9a-fA-F]{64})");

    private final List<Key> keys = new ArrayList<>();

    /**
     * @param entries {@code clientId:sha256hex}; a malformed entry stops start-up, without echoing it (it might be a
     *                key pasted instead of its hash)
     */
    public ApiKeyRegistry(Iterable<String> entries) {
        Set<String> digests = new HashSet<>();
        for (String entry : entries) {
            var m = ENTRY.matcher(entry.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("genpipe.clients.api-keys: each entry must be clientId:sha256hex "
                        + "(64 hex digits of the key's SHA-256); one is not");
            }
            String digest = m.group(2).toLowerCase(Locale.ROOT);
            if (!digests.add(digest)) {
                throw new IllegalArgumentException("genpipe.clients.api-keys: the same key is configured twice");
            }
            keys.add(new Key(bytes(digest), new Client(m.group(1))));
        }
    }

    public int size() {
        return keys.size();
    }

    /** The client whose key this is, if any. */
    public Optional<Client> client(String presentedKey) {
        byte[] digest = bytes(Fingerprints.sha256(presentedKey));
        Client match = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(digest, key.digest())) {
                match = key.client();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] bytes(String hexDigest) {
        return hexDigest.getBytes(StandardCharsets.US_ASCII);
    }

    private record Key(byte[] digest, Client client) {
    }
}
