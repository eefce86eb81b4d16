package dev.thinkdiff.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Webhooks on a job's end, signed the way Replicate signs them (the Standard Webhooks scheme): the body is the job's
 * record, and the headers are {@code webhook-id} (the job id), {@code webhook-timestamp} (Unix seconds) and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}. The key is the configured secret's
 * bytes, or for a secret {@code whsec_<base64>} the bytes it encodes (so Standard Webhooks libraries verify it as is).
 */
public final class Webhooks {

    private static final Logger LOG = Logger.getLogger(Webhooks.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Optional<String> secret;
    private final int attempts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    Webhooks(Optional<String> secret, int attempts) {
        this.secret = secret;
        this.attempts = attempts;
    }

    /** @throws RequestException 400 naming the header unless the URL is absolute http(s) and a secret is set */
    void check(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw RequestException.badInput(JobService.WEBHOOK_URL, "not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw RequestException.badInput(JobService.WEBHOOK_URL, "must be an absolute http:// or https:// URL");
        }
        if (secret.isEmpty()) {
            throw RequestException.badInput(JobService.WEBHOOK_URL, "webhooks are off on this server: it has no "
                    + "thinkdiff.serving.jobs.webhook-secret to sign them with");
        }
    }

    /** POSTs the signed body, trying up to the configured attempts (1 s, 2 s, 4 s … apart) until a 2xx. */
    void deliver(String url, String id, byte[] body) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", "v1," + signature(key(secret.orElseThrow()), id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String outcome;
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                outcome = "HTTP " + status;
            } catch (IOException e) {
                outcome = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LOG.warnf("webhook of job %s to %s: try %d of %d failed (%s)", id, url, attempt, attempts, outcome);
            try {
                Thread.sleep(1000L << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")): what {@code webhook-signature} carries after "v1,". */
    public static String signature(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The HMAC key a configured secret stands for. */
    public static byte[] key(String secret) {
        return secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(StandardCharsets.UTF_8);
    }
}
