package dev.genpipe.api.webhooks;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The signing key of each client, from {@code clientId:whsec_<base64>} entries. */
final class WebhookSecrets {

    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9._-]{1,64}):(whsec_[A-Za-z0-9+/=]+)");

    private final Map<String, byte[]> keys = new HashMap<>();

    /** @throws IllegalArgumentException for a malformed entry or a client named twice, without echoing the entry */
    WebhookSecrets(Iterable<String> entries) {
        for (String entry : entries) {
            var m = ENTRY.matcher(entry.strip());
            byte[] key;
            try {
                key = m.matches() ? WebhookSigner.key(m.group(2)) : null;
            } catch (IllegalArgumentException e) {
                key = null;
            }
            if (key == null) {
                throw new IllegalArgumentException("genpipe.webhooks.secrets: each entry must be "
                        + "clientId:whsec_<base64 key>; one is not");
            }
            if (keys.put(m.group(1), key) != null) {
                throw new IllegalArgumentException("genpipe.webhooks.secrets: client " + m.group(1)
                        + " has two secrets");
            }
        }
    }

    Optional<byte[]> key(String clientId) {
        return Optional.ofNullable(clientId == null ? null : keys.get(clientId));
    }
}
