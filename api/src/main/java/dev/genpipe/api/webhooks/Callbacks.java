package dev.genpipe.api.webhooks;

import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a job's {@code callbackUrl} must satisfy at submit: a URL the {@link CallbackPolicy} allows, and a signing
 * secret for the job's client. The submit path asks here; the delivery asks the policy and the secrets again.
 */
@Component
public class Callbacks {

    private final CallbackPolicy policy;
    private final WebhookSecrets secrets;

    Callbacks(WebhookSettings settings) {
        this.policy = new CallbackPolicy(settings.allowedHosts());
        this.secrets = new WebhookSecrets(settings.secrets());
    }

    /** Why {@code url} cannot be a callback of a job of {@code clientId}; empty when it can. */
    public Optional<String> refusal(String url, String clientId) {
        String refusal = policy.refusal(url);
        if (refusal == null && secrets.key(clientId).isEmpty()) {
            refusal = "no webhook secret is configured for this client (GENPIPE_WEBHOOK_SECRETS)";
        }
        return Optional.ofNullable(refusal);
    }

    CallbackPolicy policy() {
        return policy;
    }

    WebhookSecrets secrets() {
        return secrets;
    }
}
