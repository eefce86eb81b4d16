package dev.thinkdiff.serving;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Base64 fields as clients send them: standard base64, also wrapped in lines (MIME, {@code base64} without
 * {@code -w0}) or as a data URL ({@code data:image/png;base64,…}); both are accepted, anything else is refused with
 * what is expected.
 */
public final class Base64Input {

    private static final Pattern DATA_URL = Pattern.compile("^data:[\\w.+-]+/[\\w.+-]+(;[\\w-]+=[\\w.-]+)*;base64,");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t ]+");
    private static final String EXPECTED = "expected standard base64 (A-Z a-z 0-9 + /, '=' padding), optionally in "
            + "lines or after a 'data:image/png;base64,' prefix";

    private Base64Input() {
    }

    /** The base64 characters of {@code value}: data-URL prefix and line breaks removed. */
    public static String strip(String value) {
        String payload = DATA_URL.matcher(value).replaceFirst("");
        return LINE_BREAKS.matcher(payload).replaceAll("");
    }

    /**
     * @param value already {@link #strip stripped}
     * @throws RequestException 400 naming {@code field} when {@code value} is not base64
     */
    public static byte[] decode(String field, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw RequestException.badInput(field, "is not valid base64 (" + e.getMessage() + "); " + EXPECTED);
        }
    }
}
