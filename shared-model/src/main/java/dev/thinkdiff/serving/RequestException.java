package dev.thinkdiff.serving;

import java.util.Map;

/**
 * A request the function refuses, with the HTTP status, a stable error code and the input field at fault. Every
 * refusal a function makes is one of these, so the HTTP layer turns it into {@code {error, message, field}} and never
 * into a 500.
 */
public final class RequestException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;
    private final Map<String, String> headers;

    public RequestException(int status, String error, String field, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
        this.headers = Map.copyOf(headers);
    }

    /** 400: the field's value is wrong; the message says why and what is accepted. */
    public static RequestException badInput(String field, String message) {
        return new RequestException(400, "bad_input", field, field + ": " + message, Map.of());
    }

    /** 413: the field (or the whole body) is larger than the configured limit. */
    public static RequestException tooLarge(String field, String message) {
        return new RequestException(413, "too_large", field, field + ": " + message, Map.of());
    }

    /** 415: an image in a format the function does not read. */
    public static RequestException unsupportedFormat(String field, String message) {
        return new RequestException(415, "unsupported_format", field, field + ": " + message, Map.of());
    }

    /** 503: every worker is busy and the queue is full; retry after the given seconds. */
    public static RequestException overCapacity(int retryAfterSeconds) {
        return new RequestException(503, "over_capacity", null,
                "all workers are busy and the queue is full; retry after " + retryAfterSeconds + " s",
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /**
     * 503: the image is valid as far as its header says, but the node had no memory free to decode it (a burst of
     * large images); nothing is wrong with the input, so the client retries. The HTTP edge adds the Retry-After.
     */
    public static RequestException outOfMemory(String field) {
        return new RequestException(503, "over_capacity", field, field + ": no memory free to decode the image "
                + "now; retry", Map.of());
    }

    /** 503: the models are not loaded (yet, or they failed verification). */
    public static RequestException notReady(String message, int retryAfterSeconds) {
        return new RequestException(503, "not_ready", null, message,
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The JSON path of the input at fault ({@code embedding.shape}), or null when no single field is. */
    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Refusals are expected traffic: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
