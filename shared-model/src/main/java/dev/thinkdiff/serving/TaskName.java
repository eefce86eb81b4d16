package dev.thinkdiff.serving;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigInteger;

/**
 * A CoBSAT task as a request names it: "C-I", "COLOR_I" or its number, as a JSON string ("1") or integer (1) alike.
 * {@link CobsatInputs#task} resolves it.
 */
public record TaskName(String value) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TaskName of(Object json) {
        if (json instanceof String || json instanceof Integer || json instanceof Long || json instanceof BigInteger) {
            return new TaskName(json.toString());
        }
        throw new IllegalArgumentException("must be a task name (\"C-I\", \"COLOR_I\") or number (1..10), got "
                + json);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }
}
