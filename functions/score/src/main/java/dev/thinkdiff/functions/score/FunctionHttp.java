package dev.thinkdiff.functions.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thinkdiff.serving.ErrorBody;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.RequestJson;
import dev.thinkdiff.serving.ServingConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The HTTP edge of the function: a request id for every call, strict JSON binding before Funqy's lenient one, and one
 * failure handler that turns every refusal into {@code {error, message, field, requestId}} with its 4xx/503 status
 * (Funqy itself answers bad JSON with an empty 400 and function exceptions with a 500).
 */
@ApplicationScoped
public class FunctionHttp {

    static final String FUNCTION = "score";
    static final String REQUEST_ID = "requestId";
    private static final Logger LOG = Logger.getLogger(FunctionHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    void install(@Observes Router router, ServingConfig config) {
        RequestJson binding = new RequestJson(ScoreRequest.class, config.limits().requestBytes());
        router.route().order(Integer.MIN_VALUE).failureHandler(FunctionHttp::fail);
        router.route("/" + FUNCTION).order(-1).handler(ctx -> {
            String id = requestId(ctx);
            ctx.put(REQUEST_ID, id);
            ctx.response().putHeader("X-Request-Id", id);
            if (ctx.request().method() != HttpMethod.POST) {
                throw new RequestException(405, "method_not_allowed", null, "POST a JSON body to /" + FUNCTION,
                        java.util.Map.of("Allow", "POST"));
            }
            binding.check(ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes());
            ctx.next();
        });
    }

    /** The id of the request being served (from the caller's X-Request-Id, else a new one), also put into the MDC. */
    static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        if (id == null) {
            String given = ctx.request().getHeader("X-Request-Id");
            id = given != null && given.matches("[A-Za-z0-9._-]{1,64}") ? given : UUID.randomUUID().toString();
        }
        MDC.put(REQUEST_ID, id);
        return id;
    }

    private static void fail(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        RequestException refusal = failure == null ? byStatus(ctx.statusCode()) : RequestJson.refusal(failure);
        if (refusal == null) {
            LOG.errorf(failure, "internal error in %s", ctx.request().path());
            refusal = new RequestException(500, "internal", null, "internal error; see the log for request "
                    + ctx.get(REQUEST_ID), java.util.Map.of());
        } else {
            LOG.infof("refused %s %s: %d %s", ctx.request().method(), ctx.request().path(), refusal.status(),
                    refusal.getMessage());
        }
        if (ctx.response().ended()) {
            return;
        }
        String body;
        try {
            body = JSON.writeValueAsString(new ErrorBody(refusal.error(), refusal.getMessage(), refusal.field(),
                    ctx.get(REQUEST_ID)));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal\",\"message\":\"error body could not be written\"}";
        }
        var response = ctx.response().setStatusCode(refusal.status()).putHeader("Content-Type", "application/json");
        refusal.headers().forEach(response::putHeader);
        response.end(body);
    }

    /** Failures the HTTP layer raises with a bare status code. */
    private static RequestException byStatus(int status) {
        return switch (status) {
            case 413 -> RequestException.tooLarge("body", "the request body exceeds the configured limit");
            case 400 -> RequestException.badInput("body", "the request body cannot be read as the function's input");
            case 404 -> new RequestException(404, "not_found", null, "no such function", java.util.Map.of());
            case 405 -> new RequestException(405, "method_not_allowed", null, "use POST", java.util.Map.of());
            default -> status >= 400 && status < 500
                    ? new RequestException(status, "bad_request", null, "request refused", java.util.Map.of())
                    : null;
        };
    }
}
