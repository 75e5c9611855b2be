package dev.genpipe.api.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.job.Fingerprints;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyRegistryTest {

    @Test
    void findsTheClientOfAKeyByItsHash() {
        ApiKeyRegistry keys = new ApiKeyRegistry(List.of("alice:" + Fingerprints.sha256("key-a"),
                " bob:" + Fingerprints.sha256("key-b").toUpperCase() + " "));

        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.client("key-a")).contains(new Client("alice"));
        assertThat(keys.client("key-b")).contains(new Client("bob"));
        assertThat(keys.client("key-c")).isEmpty();
        assertThat(keys.client(Fingerprints.sha256("key-a"))).as("the hash is no key").isEmpty();
    }

    @Test
    void refusesAMalformedEntryWithoutEchoingIt() {
        assertThatThrownBy(() -> new ApiKeyRegistry(List.of("alice:gpk-the-raw-key-pasted-by-mistake")))
                .hasMessageContaining("genpipe.clients.api-keys")
                .hasMessageNotContaining("gpk-the-raw-key");
    }

    @Test
    void refusesTheSameKeyTwice() {
        String digest = Fingerprints.sha256("shared");
        assertThatThrownBy(() -> new ApiKeyRegistry(List.of("alice:" + digest, "bob:" + digest)))
                .hasMessageContaining("the same key is configured twice");
    }
}
