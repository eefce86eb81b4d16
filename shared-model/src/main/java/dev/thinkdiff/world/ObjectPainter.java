package dev.thinkdiff.world;

import dev.thinkdiff.world.Figure.Detail;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/**
 * Paints an object figure for the three object themes: filled with a colour, filled with a texture, or drawn in one of
 * the ten styles. Each style changes how the whole picture is made (medium, background, line work), not only a tint.
 */
final class ObjectPainter {

    private static final Color[] COLORS = {
        Colors.rgb(0xf5d320), Colors.rgb(0xf7f7f7), Colors.rgb(0xd8231f), Colors.rgb(0x7b35b5), Colors.rgb(0xf58cc0),
        Colors.rgb(0xf57e16), Colors.rgb(0x2f9e36), Colors.rgb(0x7a4a22), Colors.rgb(0x2659d6), Colors.rgb(0x1a1a1a)
    };

    private ObjectPainter() {
    }

    /** Colour theme: the body in the colour (shade varies by seed) on a neutral backdrop. */
    static void paintColored(Graphics2D g, int object, int color, Variation v) {
        neutralBackdrop(g, v);
        Color fill = Colors.shade(COLORS[color], v.shade() * 0.6);
        paintFlat(g, ObjectFigures.figure(object), fill, Colors.ink(fill), v);
    }

    /** Texture theme: the body filled with the texture's tile, its edge in the texture's own line colour. */
    static void paintTextured(Graphics2D g, int object, int texture, Variation v) {
        neutralBackdrop(g, v);
        Figure figure = ObjectFigures.figure(object);
        AffineTransform saved = place(g, v);
        Color edge = Textures.EDGE[texture];
        g.setPaint(Textures.paint(texture, v.phaseX(), v.phaseY()));
        g.fill(figure.body());
        Textures.finish(g, texture, figure.body());
        paintDetails(g, figure, Colors.mix(edge, Color.GRAY, 0.2), edge, 0.6f);
        outline(g, figure.body(), edge, 1.6f);
        g.setTransform(saved);
    }

    /** Style theme: the object in its natural colour, drawn in the style. */
    static void paintStyled(Graphics2D g, BufferedImage image, int object, int style, Variation v) {
        Figure figure = ObjectFigures.figure(object);
        Color natural = Colors.shade(ObjectFigures.NATURAL[object], v.shade() * 0.5);
        switch (style) {
            case 0 -> watercolor(g, figure, natural, v);
            case 1 -> sketch(g, figure, v);
            case 2 -> pixel(g, figure, natural, v);
            case 3 -> origami(g, figure, natural, v);
            case 4 -> lego(g, figure, natural, v);
            case 5 -> icon(g, figure, v);
            case 6 -> graffiti(g, figure, v);
            case 7 -> futuristic(g, figure, v);
            case 8 -> wireframe(g, figure, v);
            case 9 -> old(g, image, figure, natural, v);
            default -> throw new IllegalArgumentException("style " + style);
        }
    }

    /** Moves the figure frame onto the canvas with the seed's position, scale and tilt; returns the old transform. */
    static AffineTransform place(Graphics2D g, Variation v) {
        AffineTransform saved = g.getTransform();
        g.translate(32 + v.dx(), 33 + v.dy());
        g.rotate(v.rotation());
        g.scale(v.scale(), v.scale());
        return saved;
    }

    private static void neutralBackdrop(Graphics2D g, Variation v) {
        int top = 196 + (int) (v.shade() * 60);
        int tint = (int) (v.phaseX() - 8) / 2;
        g.setPaint(new GradientPaint(0, 0, new Color(top + tint / 2, top, top - tint), 0, 64,
                new Color(top - 22, top - 20 + tint / 2, top - 18)));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(0, 0, 0, 40));
        g.fill(new Ellipse2D.Double(14 + v.dx(), 50 + v.dy(), 36, 6));
    }

    private static void paintFlat(Graphics2D g, Figure figure, Color fill, Color ink, Variation v) {
        AffineTransform saved = place(g, v);
        g.setColor(fill);
        g.fill(figure.body());
        paintDetails(g, figure, fill, ink, 1f);
        outline(g, figure.body(), ink, 1.5f);
        g.setTransform(saved);
    }

    private static void paintDetails(Graphics2D g, Figure figure, Color fill, Color ink, float lineAlpha) {
        for (Detail detail : figure.details()) {
            switch (detail.paint()) {
                case INK_LINE -> {
                    g.setColor(Colors.alpha(ink, Math.round(255 * lineAlpha)));
                    g.setStroke(new BasicStroke(detail.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(detail.shape());
                }
                case DARKER_FILL -> {
                    g.setColor(Colors.alpha(Colors.shade(fill, -0.3), 200));
                    g.fill(detail.shape());
                }
                case LIGHTER_FILL -> {
                    g.setColor(Colors.alpha(Colors.shade(fill, 0.4), 200));
                    g.fill(detail.shape());
                }
                case FIXED_FILL -> {
                    g.setColor(detail.fixed());
                    g.fill(detail.shape());
                }
            }
        }
    }

    private static void outline(Graphics2D g, Shape body, Color ink, float width) {
        g.setColor(ink);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(body);
    }

    // ---- the ten styles ------------------------------------------------------------------------------------------

    private static void watercolor(Graphics2D g, Figure figure, Color natural, Variation v) {
        g.setColor(new Color(248, 243, 230));
        g.fillRect(0, 0, 64, 64);
        for (int blot = 0; blot < 5; blot++) {
            g.setColor(Colors.alpha(Colors.mix(natural, Color.WHITE, 0.5), 40));
            g.fill(new Ellipse2D.Double(v.uniform(0, 50), v.uniform(0, 50), v.uniform(10, 22), v.uniform(8, 18)));
        }
        AffineTransform saved = place(g, v);
        for (int pass = 0; pass < 4; pass++) {
            AffineTransform wash = g.getTransform();
            g.translate(v.uniform(-2.2, 2.2), v.uniform(-2.2, 2.2));
            g.setColor(Colors.alpha(Colors.mix(natural, Color.WHITE, 0.25), 80));
            g.fill(figure.body());
            g.setTransform(wash);
        }
        paintDetails(g, figure, natural, Colors.alpha(Colors.ink(natural), 120), 0.45f);
        g.setTransform(saved);
    }

    private static void sketch(Graphics2D g, Figure figure, Variation v) {
        g.setColor(new Color(250, 250, 247));
        g.fillRect(0, 0, 64, 64);
        AffineTransform saved = place(g, v);
        Color pencil = new Color(60, 60, 60);
        g.setColor(pencil);
        g.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int pass = 0; pass < 2; pass++) {
            AffineTransform stroke = g.getTransform();
            g.translate(v.uniform(-0.8, 0.8), v.uniform(-0.8, 0.8));
            g.draw(figure.body());
            g.setTransform(stroke);
        }
        Shape clip = g.getClip();
        g.clip(figure.body());
        g.setColor(new Color(90, 90, 90, 150));
        g.setStroke(new BasicStroke(0.6f));
        for (double k = -44; k < 44; k += 3.2) {
            g.draw(new Line2D.Double(k, -22, k + 22, 22));
        }
        g.setClip(clip);
        for (Detail detail : figure.details()) {
            g.setColor(pencil);
            g.setStroke(new BasicStroke(0.8f));
            g.draw(detail.shape());
        }
        g.setTransform(saved);
    }

    private static void pixel(Graphics2D g, Figure figure, Color natural, Variation v) {
        int cells = 16;
        BufferedImage small = new BufferedImage(cells, cells, BufferedImage.TYPE_INT_RGB);
        Graphics2D s = small.createGraphics();
        s.setColor(new Color(120 + v.phaseX() * 3, 200, 245));
        s.fillRect(0, 0, cells, cells);
        s.setColor(new Color(90, 170, 70));
        s.fillRect(0, 13, cells, 3);
        s.scale(cells / 64.0, cells / 64.0);
        AffineTransform saved = place(s, v);
        s.setColor(natural);
        s.fill(figure.body());
        paintDetails(s, figure, natural, Colors.ink(natural), 1f);
        s.setTransform(saved);
        s.dispose();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(small, 0, 0, 64, 64, null);
        g.setColor(new Color(0, 0, 0, 28));
        for (int k = 4; k < 64; k += 4) {
            g.drawLine(k, 0, k, 63);
            g.drawLine(0, k, 63, k);
        }
    }

    private static void origami(Graphics2D g, Figure figure, Color natural, Variation v) {
        g.setPaint(new GradientPaint(0, 0, new Color(232, 226, 214), 64, 64, new Color(206, 200, 188)));
        g.fillRect(0, 0, 64, 64);
        AffineTransform saved = place(g, v);
        Shape clip = g.getClip();
        g.clip(figure.body());
        Rectangle b = figure.body().getBounds();
        double cx = b.getCenterX() + v.uniform(-3, 3);
        double cy = b.getCenterY() + v.uniform(-3, 3);
        int facets = 7;
        double start = v.uniform(0, Math.PI);
        for (int f = 0; f < facets; f++) {
            double a0 = start + f * 2 * Math.PI / facets;
            double a1 = start + (f + 1) * 2 * Math.PI / facets;
            Path2D facet = new Path2D.Double();
            facet.moveTo(cx, cy);
            facet.lineTo(cx + 40 * Math.cos(a0), cy + 40 * Math.sin(a0));
            facet.lineTo(cx + 40 * Math.cos(a1), cy + 40 * Math.sin(a1));
            facet.closePath();
            g.setColor(Colors.shade(natural, f % 2 == 0 ? 0.28 : -0.22));
            g.fill(facet);
        }
        g.setColor(new Color(255, 255, 255, 170));
        g.setStroke(new BasicStroke(0.8f));
        for (int f = 0; f < facets; f++) {
            double a = start + f * 2 * Math.PI / facets;
            g.draw(new Line2D.Double(cx, cy, cx + 40 * Math.cos(a), cy + 40 * Math.sin(a)));
        }
        g.setClip(clip);
        g.setColor(Colors.shade(natural, -0.45));
        g.setStroke(new BasicStroke(1.1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.draw(figure.body());
        g.setTransform(saved);
    }

    private static void lego(Graphics2D g, Figure figure, Color natural, Variation v) {
        g.setColor(new Color(236, 236, 236));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(70, 150, 70));
        for (int x = 2; x < 64; x += 6) {
            for (int y = 52; y < 64; y += 6) {
                g.fillOval(x, y, 3, 3);
            }
        }
        AffineTransform saved = place(g, v);
        Area body = new Area(figure.body());
        double brick = 5.0;
        for (double y = -22; y < 22; y += brick) {
            double offset = ((int) Math.round((y + 22) / brick) % 2) * brick / 2;
            for (double x = -24 + offset; x < 24; x += brick) {
                if (!body.contains(x + brick / 2, y + brick / 2)) {
                    continue;
                }
                Rectangle2D cell = new Rectangle2D.Double(x, y, brick, brick);
                g.setColor(natural);
                g.fill(cell);
                g.setColor(Colors.shade(natural, -0.35));
                g.setStroke(new BasicStroke(0.6f));
                g.draw(cell);
                g.setColor(Colors.shade(natural, 0.35));
                g.fill(new Ellipse2D.Double(x + 1.2, y + 1.2, brick - 2.4, brick - 2.4));
                g.setColor(Colors.shade(natural, -0.2));
                g.draw(new Ellipse2D.Double(x + 1.2, y + 1.2, brick - 2.4, brick - 2.4));
            }
        }
        g.setTransform(saved);
    }

    private static void icon(Graphics2D g, Figure figure, Variation v) {
        g.setColor(new Color(250, 250, 250));
        g.fillRect(0, 0, 64, 64);
        Color tile = Color.getHSBColor((float) (0.55 + v.shade() * 0.3), 0.75f, 0.88f);
        g.setPaint(new GradientPaint(0, 4, Colors.shade(tile, 0.15), 0, 60, Colors.shade(tile, -0.15)));
        g.fill(new RoundRectangle2D.Double(5, 5, 54, 54, 18, 18));
        AffineTransform saved = g.getTransform();
        g.translate(32 + v.dx() * 0.3, 32 + v.dy() * 0.3);
        g.scale(0.95 * v.scale(), 0.95 * v.scale());
        g.setColor(Color.WHITE);
        g.fill(figure.body());
        g.setTransform(saved);
    }

    private static void graffiti(Graphics2D g, Figure figure, Variation v) {
        g.setColor(new Color(150, 70, 52));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(200, 190, 175));
        for (int row = 0; row < 8; row++) {
            int y = row * 8 + (v.phaseY() % 8);
            g.drawLine(0, y, 63, y);
            for (int x = (row % 2) * 8 + v.phaseX() % 16; x < 64; x += 16) {
                g.drawLine(x, y, x, y + 8);
            }
        }
        Color spray = Color.getHSBColor((float) (0.83 + v.shade() * 0.5), 0.9f, 1f);
        AffineTransform saved = place(g, v);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(4.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(figure.body());
        g.setColor(spray);
        g.fill(figure.body());
        Rectangle b = figure.body().getBounds();
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int drip = 0; drip < 4; drip++) {
            double x = b.x + 4 + drip * (b.width - 8) / 3.0;
            double top = b.getMaxY() - 3;
            g.draw(new Line2D.Double(x, top, x, top + v.uniform(4, 9)));
        }
        g.setColor(new Color(255, 240, 60));
        g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Shape clip = g.getClip();
        g.clip(figure.body());
        g.draw(new Line2D.Double(b.x, b.getCenterY() + 3, b.getMaxX(), b.getCenterY() - 5));
        g.setClip(clip);
        g.setTransform(saved);
    }

    private static void futuristic(Graphics2D g, Figure figure, Variation v) {
        g.setPaint(new GradientPaint(0, 0, new Color(8, 6, 30), 0, 64, new Color(40, 6, 60)));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(255, 40, 200, 150));
        g.setStroke(new BasicStroke(0.7f));
        for (int k = 0; k <= 8; k++) {
            g.draw(new Line2D.Double(32, 44, -40 + k * 18, 64));
        }
        for (int y = 46; y < 64; y += 4) {
            g.draw(new Line2D.Double(0, y, 64, y));
        }
        AffineTransform saved = place(g, v);
        g.setColor(new Color(10, 20, 40));
        g.fill(figure.body());
        float[] widths = {5f, 3f, 1.2f};
        int[] alphas = {50, 100, 255};
        for (int k = 0; k < widths.length; k++) {
            g.setColor(new Color(40, 240, 255, alphas[k]));
            g.setStroke(new BasicStroke(widths[k], BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(figure.body());
        }
        g.setColor(new Color(255, 60, 220));
        g.setStroke(new BasicStroke(0.8f));
        for (Detail detail : figure.details()) {
            g.draw(detail.shape());
        }
        g.setTransform(saved);
    }

    private static void wireframe(Graphics2D g, Figure figure, Variation v) {
        g.setColor(new Color(18, 18, 22));
        g.fillRect(0, 0, 64, 64);
        AffineTransform saved = place(g, v);
        Shape clip = g.getClip();
        g.clip(figure.body());
        g.setColor(new Color(90, 255, 120));
        g.setStroke(new BasicStroke(0.6f));
        Rectangle b = figure.body().getBounds();
        for (double x = b.x; x <= b.getMaxX(); x += 4) {
            Path2D meridian = new Path2D.Double();
            meridian.moveTo(x, b.y);
            meridian.quadTo(x + (x - b.getCenterX()) * 0.35, b.getCenterY(), x, b.getMaxY());
            g.draw(meridian);
        }
        for (double y = b.y; y <= b.getMaxY(); y += 4) {
            g.draw(new Line2D.Double(b.x, y, b.getMaxX(), y));
        }
        g.setClip(clip);
        g.setColor(new Color(170, 255, 180));
        g.setStroke(new BasicStroke(1.1f));
        g.draw(figure.body());
        g.setTransform(saved);
    }

    private static void old(Graphics2D g, BufferedImage image, Figure figure, Color natural, Variation v) {
        neutralBackdrop(g, v);
        paintFlat(g, figure, natural, Colors.ink(natural), v);
        toSepia(image, v);
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(new Color(255, 250, 235, 150));
        g.setStroke(new BasicStroke(0.5f));
        for (int scratch = 0; scratch < 3; scratch++) {
            double x = v.uniform(4, 60);
            g.draw(new Line2D.Double(x, 0, x + v.uniform(-3, 3), 64));
        }
        g.setColor(new Color(70, 45, 20));
        g.setStroke(new BasicStroke(2f));
        g.drawRect(1, 1, 61, 61);
    }

    /** Sepia tones and a dark vignette, applied to the finished pixels. */
    private static void toSepia(BufferedImage image, Variation v) {
        int[] pixels = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
        double warmth = 1 + v.shade();
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int p = pixels[y * 64 + x];
                double luma = 0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255);
                double dx = (x - 31.5) / 32;
                double dy = (y - 31.5) / 32;
                double fade = 1 - 0.45 * Math.min(1, dx * dx + dy * dy);
                double value = (luma * 0.75 + 40) * fade;
                pixels[y * 64 + x] = (Colors.clamp(value * 1.07 * warmth) << 16) | (Colors.clamp(value * 0.86) << 8)
                        | Colors.clamp(value * 0.62 / warmth);
            }
        }
    }
}
