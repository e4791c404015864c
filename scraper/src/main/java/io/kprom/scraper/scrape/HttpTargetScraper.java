package io.kprom.scraper.scrape;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.scraper.parse.ExpositionFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Fetches one target's metrics over HTTP as Prometheus does: {@code Accept} from {@code scrape_protocols},
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, gzip unless {@code enable_compression: false}, the whole
 * call bounded by the scrape timeout, the body bounded by {@code body_size_limit} (or
 * {@link #DEFAULT_BODY_SIZE_LIMIT_BYTES} when that is unset). Thread-safe; the
 * buffer passed in belongs to the calling loop.
 */
public final class HttpTargetScraper {
    static final String USER_AGENT = "kprom/0.1";
    /**
     * The body limit when {@code body_size_limit} is 0 (unlimited in Prometheus): a body this big would give a
     * batch above the publisher's default cap anyway, and reading it all could exhaust the heap.
     */
    public static final long DEFAULT_BODY_SIZE_LIMIT_BYTES = 256L * 1024 * 1024;

    private final OkHttpClient client;
    private final HttpClientConfig httpConfig;
    private final String accept;
    private final boolean compression;
    private final long bodySizeLimit;
    private final String userAgent;

    public HttpTargetScraper(OkHttpClient client, ScrapeConfig config) {
        this(client, config, USER_AGENT);
    }

    public HttpTargetScraper(OkHttpClient client, ScrapeConfig config, String userAgent) {
        this.userAgent = userAgent;
        this.client = client;
        this.httpConfig = config.httpClientConfig();
        this.accept = ExpositionFormat.acceptHeader(config.scrapeProtocols());
        this.compression = config.enableCompression();
        this.bodySizeLimit = config.bodySizeLimitBytes() > 0 ? config.bodySizeLimitBytes() : DEFAULT_BODY_SIZE_LIMIT_BYTES;
    }

    /** A growable body buffer reused across one loop's scrapes. */
    public static final class Buffer {
        private byte[] bytes = new byte[8192];
    }

    public ScrapeResponse scrape(String url, Duration timeout, Buffer buffer) throws ScrapeException {
        Request.Builder request = new Request.Builder().url(url).get()
                .header("Accept", accept)
                .header("User-Agent", userAgent)
                .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeout));
        if (!compression) {
            request.header("Accept-Encoding", "identity");
        }
        try {
            HttpClients.authorize(request, httpConfig);
        } catch (IOException e) {
            throw new ScrapeException("auth", "cannot read credentials: " + e.getMessage(), e);
        }
        Call call = client.newCall(request.build());
        call.timeout().timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try (Response response = call.execute()) {
            if (response.code() != 200) {
                throw new ScrapeException("http_status", "server returned HTTP status " + response.code() + " "
                        + response.message());
            }
            ResponseBody body = response.body();
            String contentType = response.header("Content-Type", "");
            int length = read(body.byteStream(), buffer, call);
            return new ScrapeResponse(buffer.bytes, length, contentType);
        } catch (ScrapeException e) {
            throw e;
        } catch (InterruptedIOException e) {
            if (call.isCanceled() || e instanceof SocketTimeoutException || "timeout".equals(e.getMessage())) {
                throw new ScrapeException("timeout", "Get \"" + url + "\": context deadline exceeded", e);
            }
            throw new ScrapeException("io", "Get \"" + url + "\": " + e.getMessage(), e);
        } catch (ConnectException | UnknownHostException e) {
            throw new ScrapeException("connect", "Get \"" + url + "\": " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ScrapeException("io", "Get \"" + url + "\": " + e.getMessage(), e);
        }
    }

    private int read(InputStream in, Buffer buffer, Call call) throws IOException, ScrapeException {
        int length = 0;
        while (true) {
            if (length == buffer.bytes.length) {
                // Grow to at most one byte past the limit, so exceeding it is detected without a larger array.
                long grown = Math.min((long) buffer.bytes.length * 2, Math.min(bodySizeLimit + 1, Integer.MAX_VALUE - 8));
                if (grown <= length) {
                    call.cancel();
                    throw new ScrapeException("body_size_limit", "body size limit exceeded");
                }
                buffer.bytes = Arrays.copyOf(buffer.bytes, (int) grown);
            }
            int n = in.read(buffer.bytes, length, buffer.bytes.length - length);
            if (n < 0) {
                return length;
            }
            length += n;
            if (length > bodySizeLimit) {
                call.cancel();
                throw new ScrapeException("body_size_limit", "body size limit exceeded");
            }
        }
    }

    /** Seconds as Go's FormatFloat(f, 'f', -1, 64) prints them: 10, 0.5. */
    static String seconds(Duration timeout) {
        return BigDecimal.valueOf(timeout.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
