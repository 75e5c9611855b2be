package dev.genpipe.api.clients;

/** The authenticated caller of a job endpoint. Every job belongs to the client that submitted it. */
public record Client(String id) {

    /** The one client of open-access (dev) mode. */
    public static final Client ANONYMOUS = new Client("anonymous");

    static final String ATTRIBUTE = Client.class.getName();
}
