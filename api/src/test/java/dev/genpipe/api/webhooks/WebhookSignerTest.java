package dev.genpipe.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // the Standard Webhooks specification's test vector
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheSpecificationsTestVector() {
        assertThat(WebhookSigner.sign(WebhookSigner.key(SECRET), ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void anotherBodyTimestampIdOrKeySignsDifferently() {
        String signature = WebhookSigner.sign(WebhookSigner.key(SECRET), ID, TIMESTAMP, BODY);
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSigner.sign(WebhookSigner.key(SECRET), ID, TIMESTAMP, tampered)).isNotEqualTo(signature);
        assertThat(WebhookSigner.sign(WebhookSigner.key(SECRET), ID, TIMESTAMP + 1, BODY)).isNotEqualTo(signature);
        assertThat(WebhookSigner.sign(WebhookSigner.key(SECRET), "msg_other", TIMESTAMP, BODY))
                .isNotEqualTo(signature);
        assertThat(WebhookSigner.sign(WebhookSigner.key("whsec_b3RoZXItc2VjcmV0"), ID, TIMESTAMP, BODY))
                .isNotEqualTo(signature);
    }

    @Test
    void secretsAreReadPerClientAndNeverEchoed() {
        WebhookSecrets secrets = new WebhookSecrets(List.of("acme:" + SECRET, " anonymous:whsec_b3RoZXItc2VjcmV0 "));
        assertThat(secrets.key("acme")).hasValue(WebhookSigner.key(SECRET));
        assertThat(secrets.key("anonymous")).isPresent();
        assertThat(secrets.key("other")).isEmpty();
        assertThat(secrets.key(null)).isEmpty();

        assertThatThrownBy(() -> new WebhookSecrets(List.of("acme:MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                .hasMessageNotContaining("MfKQ9r8").hasMessageContaining("clientId:whsec_");
        assertThatThrownBy(() -> new WebhookSecrets(List.of("acme:whsec_###")))
                .hasMessageNotContaining("###");
        assertThatThrownBy(() -> new WebhookSecrets(List.of("acme:" + SECRET, "acme:" + SECRET)))
                .hasMessageContaining("two secrets");
    }
}
