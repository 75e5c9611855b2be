package dev.genpipe.api.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which URLs a webhook may call (against SSRF). A host must be in {@code GENPIPE_WEBHOOK_ALLOWED_HOSTS}: an exact entry
 * (a name or an IP literal), or {@code *.example.com} for any of its subdomains. An exact entry is the operator's
 * word: it may be plain http and may reach a private, loopback or link-local address. A host allowed only by a
 * wildcard must use https and must never be, or resolve to, such an address; {@link #resolve} checks that again right
 * before every attempt, after DNS resolution, so a name that was public at submit and points inside later (DNS
 * rebinding) is refused.
 */
final class CallbackPolicy {

    static final String SETTING = "GENPIPE_WEBHOOK_ALLOWED_HOSTS";
    private static final int MAX_LENGTH = 2000;
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    /** DNS: the JDK's resolver, or a test's. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Set<String> exact;
    private final List<String> suffixes;
    private final Resolver dns;

    CallbackPolicy(List<String> entries) {
        this(entries, InetAddress::getAllByName);
    }

    CallbackPolicy(List<String> entries, Resolver dns) {
        this.dns = dns;
        this.exact = entries.stream().filter(e -> !e.startsWith("*.")).map(CallbackPolicy::normalized)
                .collect(Collectors.toUnmodifiableSet());
        this.suffixes = entries.stream().filter(e -> e.startsWith("*.")).map(e -> normalized(e.substring(1)))
                .toList();
    }

    /** Why {@code url} may not be called (null: it may), without looking it up in DNS. */
    String refusal(String url) {
        if (exact.isEmpty() && suffixes.isEmpty()) {
            return "webhooks are off on this server: " + SETTING + " lists no host a callback may call";
        }
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http(s) URL";
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return "must be an absolute http(s) URL without user info or fragment";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http(s) URL";
        }
        String host = normalized(uri.getHost());
        if (exact.contains(host)) {
            return null;
        }
        if (literal(host).filter(CallbackPolicy::internal).isPresent()) {
            return "names a private, loopback or link-local address, which is called only when " + SETTING
                    + " lists it";
        }
        if (suffixes.stream().noneMatch(host::endsWith)) {
            return "host " + host + " is not allowed (" + SETTING + ")";
        }
        return scheme.equals("https") ? null : "must be https (plain http only for hosts " + SETTING
                + " lists exactly)";
    }

    /**
     * The addresses {@code uri} may be called at, resolved now. @throws RefusedAddress when it may not be called (any
     * more): not allowed, or a host allowed by a wildcard that resolves to an internal address
     */
    List<InetAddress> resolve(URI uri) throws RefusedAddress {
        String refusal = refusal(uri.toString());
        if (refusal != null) {
            throw new RefusedAddress(refusal);
        }
        String host = normalized(uri.getHost());
        List<InetAddress> addresses;
        try {
            addresses = List.of(dns.resolve(host));
        } catch (UnknownHostException e) {
            throw new RefusedAddress("host " + host + " does not resolve");
        }
        if (!exact.contains(host) && addresses.stream().anyMatch(CallbackPolicy::internal)) {
            throw new RefusedAddress("host " + host + " resolves to a private, loopback or link-local address");
        }
        return addresses;
    }

    /** The address an IP literal host names (no DNS lookup for a literal); empty for a name. */
    private static Optional<InetAddress> literal(String host) {
        if (!host.contains(":") && !IPV4.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Loopback, link-local, private (RFC 1918, IPv6 ULA), carrier-grade NAT, unspecified or multicast. */
    static boolean internal(InetAddress address) {
        byte[] b = address.getAddress();
        boolean ula = address instanceof Inet6Address && (b[0] & 0xFE) == 0xFC;
        boolean cgnat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        boolean thisNetwork = b.length == 4 && b[0] == 0;
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || ula || cgnat || thisNetwork;
    }

    private static String normalized(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** A callback URL that may not be called (any more). */
    static final class RefusedAddress extends Exception {
        RefusedAddress(String message) {
            super(message);
        }
    }
}
