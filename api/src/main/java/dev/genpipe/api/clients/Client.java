package dev.genpipe.api.clients;

/**
 * The authenticated caller of a job endpoint: the principal of the request's authentication, which controllers take
 * as an {@code @AuthenticationPrincipal Client} parameter. Every job belongs to the client that submitted it.
 */
public record Client(String id) {

    /** The one client of open-access (dev) mode: the principal of every request without an API key. */
    public static final Client ANONYMOUS = new Client("anonymous");
}
