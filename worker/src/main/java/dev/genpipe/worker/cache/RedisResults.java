package dev.genpipe.worker.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * The Redis side of the result cache and the single flight, one Lua script per step so that each step is one round
 * trip: a result is a plain string key {@code genpipe:result:<key>} with a TTL, a flight is a string key
 * {@code genpipe:flight:<key>} whose value is its leader's token and whose TTL is the leader's lease. Every method
 * throws on a Redis error; the callers decide what a failure means (a miss, never a failed job).
 */
@Component
class RedisResults {

    static final String RESULT_PREFIX = "genpipe:result:";
    static final String FLIGHT_PREFIX = "genpipe:flight:";
    /** Answers of the scripts besides a cached result (which is JSON, so starts with a brace). */
    static final String LEADER = "leader";
    static final String FOLLOWER = "follower";
    static final String LED = "led";
    static final String GONE = "gone";
    private static final int SCAN_CHUNK = 1_000;

    /** The cached result, else take the flight if nobody holds it. KEYS: result, flight; ARGV: token, lease (ms). */
    private static final String JOIN = """
            local cached = redis.call('GET', KEYS[1])
            if cached then return cached end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'leader' end
            return 'follower'
            """;
    /** The cached result, else whether the flight is still held. KEYS: result, flight. */
    private static final String WATCH = """
            local cached = redis.call('GET', KEYS[1])
            if cached then return cached end
            if redis.call('EXISTS', KEYS[2]) == 1 then return 'led' end
            return 'gone'
            """;
    /** Stores the result, then ends the flight if it is still the caller's. KEYS: result, flight; ARGV: json, ttl, token. */
    private static final String STORE = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
            return 1
            """;
    /** Ends the flight if it is still the caller's. KEYS: flight; ARGV: token. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;
    /** Extends the lease if the flight is still the caller's. KEYS: flight; ARGV: token, lease (ms). */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """;

    private final Optional<RedissonClient> redis;

    RedisResults(Optional<RedissonClient> redis) {
        this.redis = redis;
    }

    /** @return the cached JSON, {@link #LEADER} (the caller now holds the flight for {@code lease}) or {@link #FOLLOWER} */
    String join(String key, String token, Duration lease) {
        return script().eval(RScript.Mode.READ_WRITE, JOIN, RScript.ReturnType.VALUE, keys(key),
                token, Long.toString(lease.toMillis()));
    }

    /** @return the cached JSON, {@link #LED} (the flight is still held) or {@link #GONE} */
    String watch(String key) {
        return script().eval(RScript.Mode.READ_ONLY, WATCH, RScript.ReturnType.VALUE, keys(key));
    }

    /** Stores {@code json} for {@code ttl} and releases the flight held with {@code token} (none when null). */
    void store(String key, String json, Duration ttl, String token) {
        script().eval(RScript.Mode.READ_WRITE, STORE, RScript.ReturnType.LONG, keys(key),
                json, Long.toString(ttl.toMillis()), token == null ? "" : token);
    }

    void release(String key, String token) {
        script().eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.LONG, List.of(FLIGHT_PREFIX + key), token);
    }

    /** Asynchronous, so a timer thread never waits for Redis. @return whether the caller still holds the flight */
    CompletionStage<Boolean> renew(String key, String token, Duration lease) {
        return script().<Long>evalAsync(RScript.Mode.READ_WRITE, RENEW, RScript.ReturnType.LONG,
                List.of(FLIGHT_PREFIX + key), token, Long.toString(lease.toMillis())).thenApply(n -> n != null && n > 0);
    }

    /** Unlinks every cached result (SCAN + UNLINK in chunks, never KEYS). @return how many */
    long clear() {
        long removed = 0;
        List<String> chunk = new ArrayList<>(SCAN_CHUNK);
        Iterator<String> keys = resultKeys().iterator();
        while (keys.hasNext()) {
            chunk.add(keys.next());
            if (chunk.size() == SCAN_CHUNK || !keys.hasNext()) {
                removed += client().getKeys().unlink(chunk.toArray(String[]::new));
                chunk.clear();
            }
        }
        return removed;
    }

    /** Counts the cached results with a SCAN: proportional to the whole key space, so call it rarely. */
    long count() {
        return resultKeys().count();
    }

    private java.util.stream.Stream<String> resultKeys() {
        return client().getKeys().getKeysStream(KeysScanOptions.defaults().pattern(RESULT_PREFIX + "*").chunkSize(SCAN_CHUNK));
    }

    private static List<Object> keys(String key) {
        return List.of(RESULT_PREFIX + key, FLIGHT_PREFIX + key);
    }

    private RScript script() {
        return client().getScript(StringCodec.INSTANCE);
    }

    private RedissonClient client() {
        return redis.orElseThrow();
    }
}
