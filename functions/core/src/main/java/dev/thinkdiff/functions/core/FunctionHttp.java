package dev.thinkdiff.functions.core;

import dev.thinkdiff.serving.ErrorReply;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.RequestJson;
import dev.thinkdiff.serving.ServingConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * The HTTP edge of a function: a request id for every call, strict JSON binding before Funqy's lenient one, and one
 * failure handler that turns every refusal into {@code {error, message, field, requestId}} with its 4xx/503 status
 * (Funqy alone answers bad JSON with an empty 400 and any exception of the function with a 500). Each function has
 * one bean that observes the {@link Router} and calls {@link #install}.
 */
public final class FunctionHttp {

    private static final String REQUEST_ID = "requestId";

    private FunctionHttp() {
    }

    /** Routes {@code POST /{function}} bodies through the strict binding of {@code requestType}. */
    public static void install(Router router, ServingConfig config, String function, Class<?> requestType) {
        RequestJson binding = new RequestJson(requestType, config.limits().requestBytes());
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            ErrorReply reply = ErrorReply.of(ctx.failure(), ctx.statusCode(), ctx.get(REQUEST_ID),
                    ctx.request().method() + " " + ctx.request().path());
            if (!ctx.response().ended()) {
                reply.headers().forEach(ctx.response()::putHeader);
                ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
                        .end(reply.json());
            }
        });
        router.route("/" + function).order(-1).handler(ctx -> {
            ctx.response().putHeader("X-Request-Id", requestId(ctx));
            if (ctx.request().method() != HttpMethod.POST) {
                throw new RequestException(405, "method_not_allowed", null, "POST a JSON body to /" + function,
                        Map.of("Allow", "POST"));
            }
            binding.check(ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes());
            ctx.next();
        });
    }

    /** The request's id (the caller's X-Request-Id if sane, else a new one), also put into the logging MDC. */
    public static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        if (id == null) {
            String given = ctx.request().getHeader("X-Request-Id");
            id = given != null && given.matches("[A-Za-z0-9._-]{1,64}") ? given : UUID.randomUUID().toString();
            ctx.put(REQUEST_ID, id);
        }
        MDC.put(REQUEST_ID, id);
        return id;
    }
}
