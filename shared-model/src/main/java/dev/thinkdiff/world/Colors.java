package dev.thinkdiff.world;

import java.awt.Color;

/** Small colour helpers shared by the painters. */
final class Colors {

    private Colors() {
    }

    static Color rgb(int rgb) {
        return new Color(rgb);
    }

    /** Lightens (shade > 0) or darkens (shade < 0) by mixing toward white or black. */
    static Color shade(Color color, double shade) {
        return shade >= 0 ? mix(color, Color.WHITE, shade) : mix(color, Color.BLACK, -shade);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(
                clamp(a.getRed() + (b.getRed() - a.getRed()) * t),
                clamp(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                clamp(a.getBlue() + (b.getBlue() - a.getBlue()) * t),
                a.getAlpha());
    }

    static Color alpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /** A darker line colour for outlines and details of a fill; near-black fills get a mid grey so details show. */
    static Color ink(Color fill) {
        double luma = luma(fill);
        return luma < 50 ? new Color(110, 110, 110) : mix(fill, Color.BLACK, 0.6);
    }

    static double luma(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }

    static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
