package dev.genpipe.api.jobs;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.common.job.JobId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key}s without a shared store: the job id of an idempotent submit is an HMAC of the client and
 * its key, so every API instance maps the same key to the same job, for as long as the job's state is kept (the
 * result TTL), and nothing depends on Redis. A repeated key finds its job in the state store (or, for the moments
 * before it arrives there, among this instance's recent submits) and is answered with that job; a repeated key with
 * a different request is a conflict.
 */
@Component
class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,200}");
    private static final Duration REMEMBERED = Duration.ofSeconds(30);

    private record Recent(String fingerprint, long at) {
    }

    private final SecretKeySpec secret;
    private final Map<JobId, Recent> recent = new ConcurrentHashMap<>();

    IdempotencyKeys(ApiSettings settings) {
        this.secret = new SecretKeySpec(settings.idempotencySecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** @throws InvalidJobRequest when the key is not 1–200 visible ASCII characters */
    static String validate(String key) {
        if (!VALID.matcher(key).matches()) {
            throw new InvalidJobRequest(HEADER, "must be 1 to 200 visible ASCII characters");
        }
        return key;
    }

    JobId jobId(String client, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            ByteBuffer bytes = ByteBuffer.wrap(mac.doFinal((client + "\n" + key).getBytes(StandardCharsets.UTF_8)));
            long high = (bytes.getLong() & ~0xF000L) | 0x8000L; // version 8: custom
            long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            return new JobId(new UUID(high, low));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    void remember(JobId id, String fingerprint) {
        long now = System.nanoTime();
        recent.values().removeIf(r -> now - r.at() > REMEMBERED.toNanos());
        recent.put(id, new Recent(fingerprint, now));
    }

    Optional<String> recentFingerprint(JobId id) {
        Recent r = recent.get(id);
        return r == null || System.nanoTime() - r.at() > REMEMBERED.toNanos() ? Optional.empty()
                : Optional.of(r.fingerprint());
    }
}
