package io.kprom.scraper.scrape;

import io.kprom.common.config.HttpClientConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the proxy for each request as Prometheus's HTTP client does: {@code proxy_url} except for
 * hosts matching {@code no_proxy}, or with {@code proxy_from_environment} the {@code HTTP_PROXY},
 * {@code HTTPS_PROXY} and {@code NO_PROXY} variables (upper or lower case) by URL scheme.
 * {@code no_proxy} entries follow Go's rules: {@code *} matches everything, an IP address or CIDR
 * matches literal addresses, {@code example.com} matches it and its subdomains, {@code .example.com}
 * only subdomains, and an entry with {@code :port} only that port. Immutable and thread-safe.
 */
final class ProxyRouting extends ProxySelector {
    private final URI httpProxy;
    private final URI httpsProxy;
    private final List<String> noProxy;

    private ProxyRouting(URI httpProxy, URI httpsProxy, String noProxy) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.noProxy = new ArrayList<>();
        if (noProxy != null) {
            for (String entry : noProxy.split(",")) {
                String trimmed = entry.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    this.noProxy.add(trimmed);
                }
            }
        }
    }

    /** The routing a config asks for, or null for direct connections only. */
    static ProxyRouting of(HttpClientConfig config, Map<String, String> environment) {
        if (config.proxyUrl() != null && !config.proxyUrl().isEmpty()) {
            URI proxy = URI.create(config.proxyUrl());
            return new ProxyRouting(proxy, proxy, config.noProxy());
        }
        if (config.proxyFromEnvironment()) {
            String http = variable(environment, "HTTP_PROXY");
            String https = variable(environment, "HTTPS_PROXY");
            if (http == null && https == null) {
                return null;
            }
            return new ProxyRouting(http == null ? null : proxyUri(http), https == null ? null : proxyUri(https),
                    variable(environment, "NO_PROXY"));
        }
        return null;
    }

    private static String variable(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isEmpty()) {
            value = environment.get(name.toLowerCase(Locale.ROOT));
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** Go accepts a bare host:port in the variables and treats it as http://host:port. */
    private static URI proxyUri(String value) {
        return URI.create(value.contains("://") ? value : "http://" + value);
    }

    /** The proxy's user:password from its URL, or null. */
    String userInfo(URI target) {
        URI proxy = proxyFor(target);
        return proxy == null ? null : proxy.getUserInfo();
    }

    @Override
    public List<Proxy> select(URI uri) {
        URI proxy = proxyFor(uri);
        if (proxy == null) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    private URI proxyFor(URI target) {
        URI proxy = "https".equalsIgnoreCase(target.getScheme()) ? httpsProxy : httpProxy;
        if (proxy == null || bypasses(target)) {
            return null;
        }
        return proxy;
    }

    /** Whether no_proxy sends this URL direct. */
    boolean bypasses(URI target) {
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = target.getPort() > 0 ? target.getPort() : ("https".equalsIgnoreCase(target.getScheme()) ? 443 : 80);
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            if (entry.contains("/")) {
                if (inCidr(host, entry)) {
                    return true;
                }
                continue;
            }
            String entryHost = entry;
            int entryPort = -1;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon) {
                entryHost = entry.substring(0, colon);
                try {
                    entryPort = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if (entryPort >= 0 && entryPort != port) {
                continue;
            }
            if (entryHost.startsWith(".")) {
                if (host.endsWith(entryHost)) {
                    return true;
                }
            } else if (host.equals(entryHost) || host.endsWith("." + entryHost)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(String host, String cidr) {
        if (!isLiteralAddress(host)) {
            return false;
        }
        try {
            int slash = cidr.indexOf('/');
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] address = InetAddress.getByName(host).getAddress();
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            if (network.length != address.length || prefix < 0 || prefix > network.length * 8) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 literal (never resolves a name). */
    private static boolean isLiteralAddress(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException error) {
        // Nothing to remember: every request chooses again.
    }
}
