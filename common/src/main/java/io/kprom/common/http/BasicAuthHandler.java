package io.kprom.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Requires HTTP basic auth against bcrypt hashes for every request, answering 401 with
 * {@code WWW-Authenticate: Basic} otherwise (as Prometheus's exporter-toolkit does). Successful
 * checks are cached by a SHA-256 of user, hash and password, because bcrypt is slow on purpose
 * and Grafana sends credentials with every request. Thread-safe.
 */
final class BasicAuthHandler extends Handler.Wrapper {
    // Checked for unknown users so that a miss costs as much as a hit (no user enumeration by timing).
    private static final String DUMMY_HASH = OpenBSDBCrypt.generate("kprom-dummy".toCharArray(), new byte[16], 10);

    private final Map<String, String> users;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    BasicAuthHandler(Map<String, String> users, Handler next) {
        super(next);
        this.users = Map.copyOf(users);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic");
        HttpServer.sendText(response, callback, 401, "Unauthorized\n");
        return true;
    }

    boolean authorized(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String hash = users.get(user);
        boolean known = hash != null;
        String checkedHash = known ? hash : DUMMY_HASH;
        String cacheKey = cacheKey(user, checkedHash, password);
        if (known && verified.containsKey(cacheKey)) {
            return true;
        }
        boolean matches;
        try {
            matches = OpenBSDBCrypt.checkPassword(checkedHash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            matches = false;
        }
        if (known && matches) {
            verified.put(cacheKey, Boolean.TRUE);
            return true;
        }
        return false;
    }

    private static String cacheKey(String user, String hash, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(user.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(hash.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
