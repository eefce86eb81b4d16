package dev.thinkdiff.functions.decode;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The images (image i drawn with seed {@code seed + i}), the settings and model versions that made them, per-stage
 * wall times and the billed compute milliseconds. Same inputs, seed, steps, guidance and versions: the same PNG bytes.
 */
public record DecodeResponse(String requestId, List<Image> images, List<Long> seeds, int steps, double guidance,
        Map<String, String> models, Map<String, Double> timingsMillis, long billedMillis) {

    /** One image: base64 PNG inline, or the object it was written to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(long seed, String png, String uri) {
    }
}
