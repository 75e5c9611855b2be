package dev.genpipe.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackPolicyTest {

    private final CallbackPolicy policy = new CallbackPolicy(List.of("hooks.example.com", "*.example.org",
            "127.0.0.1", "[::1]", "*.localhost"));

    @Test
    void withoutAllowedHostsWebhooksAreOffAndTheAnswerNamesTheSetting() {
        assertThat(new CallbackPolicy(List.of()).refusal("https://hooks.example.com/x"))
                .contains("webhooks are off").contains("GENPIPE_WEBHOOK_ALLOWED_HOSTS");
    }

    @Test
    void exactEntriesMayBeHttpAndInternalWildcardsOnlyHttpsAndPublic() {
        assertThat(policy.refusal("https://hooks.example.com/done")).isNull();
        assertThat(policy.refusal("http://hooks.example.com:8080/done?x=1")).isNull();
        assertThat(policy.refusal("http://127.0.0.1:4000/hook")).isNull();
        assertThat(policy.refusal("http://[::1]:4000/hook")).isNull();
        assertThat(policy.refusal("https://a.b.example.org/hook")).isNull();
        assertThat(policy.refusal("http://a.example.org/hook")).contains("must be https");
        assertThat(policy.refusal("https://example.org/hook")).contains("not allowed");
        assertThat(policy.refusal("https://evil.example.net/hook")).contains("not allowed");
        assertThat(policy.refusal("https://hooks.example.com.evil.net/")).contains("not allowed");
    }

    @Test
    void privateLoopbackAndLinkLocalLiteralsAreRefusedUnlessListed() {
        for (String url : List.of("http://10.0.0.5/hook", "https://192.168.1.1/", "http://172.16.0.1/",
                "http://169.254.169.254/latest/meta-data", "http://127.0.0.2/", "http://[fd00::1]/",
                "http://[fe80::1]/", "http://0.0.0.0/", "http://100.64.0.1/")) {
            assertThat(policy.refusal(url)).as(url).contains("private, loopback or link-local");
        }
        assertThat(policy.refusal("https://8.8.8.8/")).contains("not allowed");
    }

    @Test
    void refusesWhatIsNoPlainHttpUrl() {
        assertThat(policy.refusal("ftp://hooks.example.com/x")).contains("http(s)");
        assertThat(policy.refusal("hooks.example.com/x")).contains("absolute");
        assertThat(policy.refusal("https://user:pw@hooks.example.com/x")).contains("user info");
        assertThat(policy.refusal("https://hooks.example.com/x#frag")).contains("fragment");
        assertThat(policy.refusal("https://hooks.example.com/ x")).contains("absolute");
        assertThat(policy.refusal("https://hooks.example.com/" + "x".repeat(2000))).contains("at most");
    }

    @Test
    void onDeliveryAWildcardHostThatResolvesInsideIsRefused() throws Exception {
        InetAddress inside = InetAddress.getByName("10.1.2.3");
        InetAddress outside = InetAddress.getByName("93.184.216.34");
        CallbackPolicy rebinding = new CallbackPolicy(List.of("*.example.org", "internal.example.com"),
                host -> new InetAddress[] {host.startsWith("public") ? outside : inside});

        assertThat(rebinding.resolve(URI.create("https://public.example.org/x"))).containsExactly(outside);
        assertThatThrownBy(() -> rebinding.resolve(URI.create("https://rebound.example.org/x")))
                .isInstanceOf(CallbackPolicy.RefusedAddress.class).hasMessageContaining("resolves to a private");
        assertThat(rebinding.resolve(URI.create("http://internal.example.com/x"))).as("listed exactly")
                .containsExactly(inside);
        assertThatThrownBy(() -> rebinding.resolve(URI.create("https://other.example.net/x")))
                .isInstanceOf(CallbackPolicy.RefusedAddress.class).hasMessageContaining("not allowed");
        assertThat(CallbackPolicy.internal(InetAddress.getByName("::ffff:10.0.0.1"))).isTrue();
        assertThat(CallbackPolicy.internal(outside)).isFalse();
    }
}
