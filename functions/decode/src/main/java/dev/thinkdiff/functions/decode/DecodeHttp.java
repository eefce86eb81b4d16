package dev.thinkdiff.functions.decode;

import dev.thinkdiff.functions.core.FunctionHttp;
import dev.thinkdiff.functions.core.FunctionJobs;
import dev.thinkdiff.serving.ServingConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Installs the function's HTTP edge (request ids, async jobs, strict binding of {@link DecodeRequest}, JSON errors). */
@ApplicationScoped
class DecodeHttp {

    static final String FUNCTION = "decode";

    void install(@Observes Router router, ServingConfig config, FunctionJobs jobs) {
        FunctionHttp.install(router, config, FUNCTION, DecodeRequest.class);
        jobs.install(router, FUNCTION);
    }
}
