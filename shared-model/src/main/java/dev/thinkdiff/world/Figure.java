package dev.thinkdiff.world;

import java.awt.Color;
import java.awt.Shape;
import java.util.List;

/**
 * A subject drawn as geometry in its own frame (about ±20 units around the origin): the body that carries the
 * attribute (colour, texture, style) and the details that make the subject recognisable.
 */
record Figure(Shape body, List<Detail> details) {

    /** How a detail is painted relative to the body's fill. */
    enum Paint { INK_LINE, DARKER_FILL, LIGHTER_FILL, FIXED_FILL }

    record Detail(Shape shape, Paint paint, Color fixed, float width) {

        static Detail line(Shape shape, float width) {
            return new Detail(shape, Paint.INK_LINE, null, width);
        }

        static Detail darker(Shape shape) {
            return new Detail(shape, Paint.DARKER_FILL, null, 0);
        }

        static Detail lighter(Shape shape) {
            return new Detail(shape, Paint.LIGHTER_FILL, null, 0);
        }

        static Detail fixed(Shape shape, Color color) {
            return new Detail(shape, Paint.FIXED_FILL, color, 0);
        }
    }
}
