package dev.thinkdiff.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The HTTP answer to a failed request, whatever failed: a {@link RequestException} (also wrapped), a JSON binding error,
 * a bare status the HTTP layer raised (413 body too large, 404, 405), or — logged with its stack trace, never sent —
 * an unexpected exception, which is the only case that gives a 500.
 */
public record ErrorReply(int status, Map<String, String> headers, String json) {

    private static final Logger LOG = Logger.getLogger(ErrorReply.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param failure    what was thrown, or null when the HTTP layer failed the request with a bare status
     * @param statusCode that bare status
     * @param where      method and path, for the log
     */
    public static ErrorReply of(Throwable failure, int statusCode, String requestId, String where) {
        RequestException refusal = failure == null ? byStatus(statusCode) : RequestJson.refusal(failure);
        if (refusal == null) {
            LOG.errorf(failure, "internal error in %s (request %s)", where, requestId);
            refusal = new RequestException(500, "internal", null, "internal error; see the log for request "
                    + requestId, Map.of());
        } else {
            LOG.infof("refused %s: %s", where, refusalLine(failure, statusCode));
        }
        String body;
        try {
            body = JSON.writeValueAsString(new ErrorBody(refusal.error(), refusal.getMessage(), refusal.field(),
                    requestId));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal\",\"message\":\"the error body could not be written\"}";
        }
        return new ErrorReply(refusal.status(), refusal.headers(), body);
    }

    private static String refusalLine(Throwable failure, int statusCode) {
        RequestException r = failure == null ? byStatus(statusCode) : RequestJson.refusal(failure);
        return r.status() + " " + r.getMessage();
    }

    /** Failures the HTTP layer raises with a bare status code. */
    private static RequestException byStatus(int status) {
        return switch (status) {
            case 413 -> RequestException.tooLarge("body", "the request body exceeds the configured limit");
            case 400 -> RequestException.badInput("body", "the request body cannot be read as the function's input");
            case 404 -> new RequestException(404, "not_found", null, "no such function", Map.of());
            case 405 -> new RequestException(405, "method_not_allowed", null, "use POST", Map.of());
            default -> status >= 400 && status < 500
                    ? new RequestException(status, "bad_request", null, "request refused", Map.of())
                    : null;
        };
    }
}
