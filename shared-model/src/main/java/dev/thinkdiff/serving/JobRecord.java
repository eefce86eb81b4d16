package dev.thinkdiff.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One asynchronous generation as the object store keeps it and the status URL shows it, in the manner of a
 * Replicate/Cog prediction: its status, times (ISO-8601), and when it ended the function's answer ({@code output},
 * HTTP status 200) or its refusal ({@code error}, in the error contract, with the 4xx/5xx status it had).
 * {@code instance} names the process running it and {@code seenAt} when that process last proved alive.
 *
 * @param requestId the function's request id for the work: the job id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(String id, String function, Status status, String createdAt, String startedAt,
        String completedAt, Integer httpStatus, JsonNode output, JsonNode error, Urls urls, String webhook,
        String instance, String requestId) {

    /** Replicate's statuses: waiting, running, and the three ends. */
    public enum Status {
        @JsonProperty("starting") STARTING,
        @JsonProperty("processing") PROCESSING,
        @JsonProperty("succeeded") SUCCEEDED,
        @JsonProperty("failed") FAILED,
        @JsonProperty("canceled") CANCELED;

        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELED;
        }
    }

    /** Where to poll and cancel, relative to the function's base URL. */
    public record Urls(String get, String cancel) {
    }

    JobRecord withStatus(Status next, String started, String completed) {
        return new JobRecord(id, function, next, createdAt, started, completed, httpStatus, output, error, urls,
                webhook, instance, requestId);
    }

    JobRecord withResult(Status next, String completed, int status, JsonNode answer) {
        return new JobRecord(id, function, next, createdAt, startedAt, completed, status,
                next == Status.SUCCEEDED ? answer : null, next == Status.SUCCEEDED ? null : answer, urls, webhook,
                instance, requestId);
    }

    JobRecord withInstance(String owner) {
        return new JobRecord(id, function, status, createdAt, startedAt, completedAt, httpStatus, output, error, urls,
                webhook, owner, requestId);
    }
}
