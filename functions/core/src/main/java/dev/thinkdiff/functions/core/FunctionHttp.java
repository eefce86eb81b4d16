package dev.thinkdiff.functions.core;

import dev.thinkdiff.serving.ErrorReply;
import dev.thinkdiff.serving.RequestException;
import dev.thinkdiff.serving.RequestJson;
import dev.thinkdiff.serving.ServingConfig;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The HTTP edge of a function: a request id for every call, a deadline for the request body, the content type,
 * strict JSON binding before Funqy's lenient one, and one failure handler that turns every refusal into
 * {@code {error, message, field, requestId}} with its 4xx/503 status and the {@code X-Request-Id} header (Funqy alone
 * answers bad JSON with an empty 400 and any exception of the function with a 500). Each function has one bean that
 * observes the {@link Router} and calls {@link #install}.
 */
public final class FunctionHttp {

    private static final Logger LOG = Logger.getLogger(FunctionHttp.class);
    private static final String REQUEST_ID = "requestId";
    private static final String JSON = "application/json";
    private static final String RETRY_AFTER = "Retry-After";

    private FunctionHttp() {
    }

    /** Routes {@code POST /{function}} bodies through the strict binding of {@code requestType}. */
    public static void install(Router router, ServingConfig config, String function, Class<?> requestType) {
        RequestJson binding = new RequestJson(requestType, config.limits().requestBytes());
        long bodyMillis = config.timeouts().bodyMillis();
        int retryAfterSeconds = config.pool().retryAfterSeconds();
        // before the framework's body handler: the deadline runs while the body is read
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            bodyDeadline(ctx, bodyMillis, retryAfterSeconds);
            ctx.next();
        }).failureHandler(ctx -> fail(ctx, retryAfterSeconds));
        router.route("/" + function).order(-1).handler(ctx -> {
            ctx.response().putHeader("X-Request-Id", requestId(ctx));
            if (ctx.request().method() != HttpMethod.POST) {
                throw new RequestException(405, "method_not_allowed", null, "POST a JSON body to /" + function,
                        Map.of("Allow", "POST"));
            }
            requireJson(ctx.request().getHeader("Content-Type"));
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

    /**
     * A body that has not fully arrived {@code millis} after the headers gets a 408 and its connection closed: a slow
     * or vanished client costs a timer on the event loop, never a worker thread.
     */
    private static void bodyDeadline(RoutingContext ctx, long millis, int retryAfterSeconds) {
        if (ctx.request().isEnded()) {
            return;
        }
        long timer = ctx.vertx().setTimer(millis, id -> {
            if (!ctx.request().isEnded() && !ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().putHeader("Connection", "close");
                reply(ctx, new RequestException(408, "timeout", "body", "body: the request body did not arrive "
                        + "within " + millis + " ms", Map.of()), retryAfterSeconds);
                ctx.request().connection().close();
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }

    /** JSON bodies only; a request without a Content-Type is read as JSON. */
    private static void requireJson(String contentType) {
        if (contentType == null) {
            return;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(JSON) && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new RequestException(415, "unsupported_media_type", "Content-Type", "Content-Type: the body must "
                    + "be " + JSON + ", got '" + contentType + "'", Map.of());
        }
    }

    private static void fail(RoutingContext ctx, int retryAfterSeconds) {
        if (ctx.response().ended() || ctx.response().closed() || ctx.failure() instanceof HttpClosedException) {
            // the client left (or was answered, e.g. by the body deadline): a client event, nothing to send
            LOG.infof("client gone from %s %s before the answer (%s)", ctx.request().method(), ctx.request().path(),
                    ctx.failure() == null ? "status " + ctx.statusCode() : ctx.failure().toString());
            return;
        }
        reply(ctx, ctx.failure(), retryAfterSeconds);
    }

    /** Every 503 says when to retry: the refusals that do not set it themselves get the pool's back-off. */
    private static void reply(RoutingContext ctx, Throwable failure, int retryAfterSeconds) {
        String id = requestId(ctx);
        ErrorReply reply = ErrorReply.of(failure, ctx.statusCode(), id,
                ctx.request().method() + " " + ctx.request().path());
        reply.headers().forEach(ctx.response()::putHeader);
        if (reply.status() == 503 && !reply.headers().containsKey(RETRY_AFTER)) {
            ctx.response().putHeader(RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", JSON).putHeader("X-Request-Id", id)
                .end(reply.json());
    }
}
