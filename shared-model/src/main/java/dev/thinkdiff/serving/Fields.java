package dev.thinkdiff.serving;

import java.security.SecureRandom;

/** Checks of single request fields; each failure is a {@link RequestException} naming the field. */
public final class Fields {

    /** Seeds are kept below 2^53 so that JSON clients with double-precision numbers read them exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;

    private static final SecureRandom FRESH_SEEDS = new SecureRandom();

    private Fields() {
    }

    /**
     * The first of {@code count} consecutive seeds: {@code value} if given, else a fresh one; either way all
     * {@code count} stay within [0, {@link #MAX_SEED}].
     */
    public static long seed(String field, Long value, int count) {
        long last = MAX_SEED - (count - 1);
        long seed = value == null ? FRESH_SEEDS.nextLong(last + 1) : value;
        if (seed < 0 || seed > last) {
            throw RequestException.badInput(field, "must be between 0 and " + last + ", got " + seed);
        }
        return seed;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw RequestException.badInput(field, "is required");
        }
        return value;
    }

    /** {@code value} if given, else {@code fallback}; either way within [min, max]. */
    public static int intInRange(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw RequestException.badInput(field, "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** {@code value} if given, else {@code fallback}; finite and within [min, max]. */
    public static double finiteInRange(String field, Double value, double fallback, double min, double max) {
        double v = value == null ? fallback : value;
        if (!Double.isFinite(v) || v < min || v > max) {
            throw RequestException.badInput(field, "must be a finite number between " + min + " and " + max
                    + ", got " + v);
        }
        return v;
    }

    /**
     * Text of at most {@code maxChars} characters (413 beyond) that is valid Unicode (no lone surrogate) and holds a
     * letter or digit: text of only spaces, zero-width or bidi marks, punctuation or emoji gives the prompt encoder
     * nothing to read and would draw an arbitrary image.
     */
    public static String text(String field, String value, int maxChars) {
        required(field, value);
        if (value.isBlank()) {
            throw RequestException.badInput(field, "must not be empty");
        }
        if (value.length() > maxChars) {
            throw RequestException.tooLarge(field, value.length() + " characters; at most " + maxChars);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw RequestException.badInput(field, String.format("holds a lone surrogate U+%04X at index %d; "
                        + "text must be valid Unicode", (int) c, i));
            }
        }
        if (value.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw RequestException.badInput(field, "must hold at least one letter or digit (got only spaces, "
                    + "invisible marks, punctuation or emoji)");
        }
        return value;
    }

    /** Exactly one of the alternatives is present. */
    public static void exactlyOne(String fields, Object... values) {
        int present = 0;
        for (Object value : values) {
            if (value != null) {
                present++;
            }
        }
        if (present != 1) {
            throw RequestException.badInput(fields, "give exactly one of " + fields + " (got " + present + ")");
        }
    }
}
