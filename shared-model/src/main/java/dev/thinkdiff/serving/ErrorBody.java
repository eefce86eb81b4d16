package dev.thinkdiff.serving;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every refused request: a stable code, a human-readable message naming the field, the request id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, String field, String requestId) {
}
