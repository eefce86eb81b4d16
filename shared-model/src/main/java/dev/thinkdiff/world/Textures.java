package dev.thinkdiff.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The ten CoBSAT textures (wood, wicker, sequined, plastic, paper, metal, leather, lace, denim, ceramic) as repeating
 * tiles, each with its own base colour and pattern so that they differ in both. Tiles are drawn once per process;
 * a render picks where the pattern starts (its phase).
 */
final class Textures {

    static final int TILE = 16;

    private static final List<BufferedImage> TILES = List.of(
            tile(Textures::wood), tile(Textures::wicker), tile(Textures::sequins), tile(Textures::plastic),
            tile(Textures::paper), tile(Textures::metal), tile(Textures::leather), tile(Textures::lace),
            tile(Textures::denim), tile(Textures::ceramic));

    /** Outline colour that suits each texture. */
    static final Color[] EDGE = {
        Colors.rgb(0x4a2a10), Colors.rgb(0x6b4a1a), Colors.rgb(0x6a1050), Colors.rgb(0x0a5a70), Colors.rgb(0x7a7a7a),
        Colors.rgb(0x3a3f46), Colors.rgb(0x2a1606), Colors.rgb(0x3a1030), Colors.rgb(0x0f2445), Colors.rgb(0x1f3f9a)
    };

    private Textures() {
    }

    static TexturePaint paint(int texture, int phaseX, int phaseY) {
        return new TexturePaint(TILES.get(texture), new Rectangle2D.Double(phaseX, phaseY, TILE, TILE));
    }

    /** Some textures get a finishing touch over the whole body (gloss, stitching) that a tile cannot carry. */
    static void finish(Graphics2D g, int texture, java.awt.Shape body) {
        switch (texture) {
            case 3, 9 -> { // plastic, ceramic: a glossy highlight
                java.awt.Rectangle b = body.getBounds();
                java.awt.Shape clip = g.getClip();
                g.clip(body);
                g.setColor(new Color(255, 255, 255, 170));
                g.fill(new Ellipse2D.Double(b.x + b.width * 0.15, b.y + b.height * 0.1, b.width * 0.35,
                        b.height * 0.22));
                g.setClip(clip);
            }
            case 6 -> stitch(g, body, Colors.rgb(0xe8c890), 1f, 2f, 2f, 0.82); // leather: stitching along the edge
            case 8 -> stitch(g, body, Colors.rgb(0xe0892a), 0.9f, 1.8f, 1.6f, 0.85); // denim: orange stitching
            default -> { }
        }
    }

    /** A dashed seam following the body's outline, shrunk toward its centre. */
    private static void stitch(Graphics2D g, java.awt.Shape body, Color color, float width, float dash, float gap,
            double shrink) {
        java.awt.Rectangle b = body.getBounds();
        java.awt.geom.AffineTransform inward = new java.awt.geom.AffineTransform();
        inward.translate(b.getCenterX(), b.getCenterY());
        inward.scale(shrink, shrink);
        inward.translate(-b.getCenterX(), -b.getCenterY());
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {dash, gap}, 0f));
        g.draw(inward.createTransformedShape(body));
    }

    private static BufferedImage tile(Consumer<Graphics2D> painter) {
        BufferedImage image = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        painter.accept(g);
        g.dispose();
        return image;
    }

    private static void fill(Graphics2D g, int rgb) {
        g.setColor(Colors.rgb(rgb));
        g.fillRect(0, 0, TILE, TILE);
    }

    private static void wood(Graphics2D g) {
        fill(g, 0xb07435);
        g.setStroke(new BasicStroke(1.3f));
        for (int row = 0; row < 4; row++) {
            Path2D grain = new Path2D.Double();
            double y = 2 + row * 4;
            grain.moveTo(0, y);
            grain.curveTo(5, y - 1.8, 10, y + 1.8, 16, y);
            g.setColor(row % 2 == 0 ? Colors.rgb(0x6e4015) : Colors.rgb(0x8c5522));
            g.draw(grain);
        }
        g.setColor(Colors.rgb(0x5a300c));
        g.fill(new Ellipse2D.Double(9, 9, 3.5, 2.2));
    }

    private static void wicker(Graphics2D g) {
        fill(g, 0x5a3a12);
        Color strand = Colors.rgb(0xe0b968);
        Color shadow = Colors.rgb(0xb88a3c);
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 2; cx++) {
                boolean horizontal = (cx + cy) % 2 == 0;
                int x = cx * 8;
                int y = cy * 8;
                for (int k = 0; k < 2; k++) {
                    g.setColor(k == 0 ? strand : shadow);
                    if (horizontal) {
                        g.fillRect(x, y + k * 4 + 1, 8, 3);
                    } else {
                        g.fillRect(x + k * 4 + 1, y, 3, 8);
                    }
                }
            }
        }
    }

    private static void sequins(Graphics2D g) {
        fill(g, 0x7a1a5e);
        int[] colors = {0xff5fc8, 0xffd54a, 0xe0e0ff, 0xff8ad8};
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                double x = col * 4 + (row % 2) * 2 - 1;
                double y = row * 4;
                g.setColor(Colors.rgb(colors[(row + col) % colors.length]));
                g.fill(new Ellipse2D.Double(x, y, 3.8, 3.8));
                g.setColor(Color.WHITE);
                g.fill(new Rectangle2D.Double(x + 0.8, y + 0.8, 1, 1));
            }
        }
    }

    private static void plastic(Graphics2D g) {
        fill(g, 0x16b8d8);
        g.setColor(Colors.rgb(0x28cbea));
        g.fillRect(0, 0, TILE, 5);
    }

    private static void paper(Graphics2D g) {
        fill(g, 0xfbfbf4);
        g.setColor(Colors.rgb(0x8fb0e8));
        g.setStroke(new BasicStroke(0.9f));
        for (int y = 3; y < TILE; y += 5) {
            g.draw(new Line2D.Double(0, y, TILE, y));
        }
        g.setColor(Colors.rgb(0xe87a7a));
        g.draw(new Line2D.Double(3, 0, 3, TILE));
    }

    private static void metal(Graphics2D g) {
        for (int y = 0; y < TILE; y++) {
            int v = 150 + (int) (45 * Math.sin(y * Math.PI / 8));
            g.setColor(new Color(v, v + 4, v + 10));
            g.fillRect(0, y, TILE, 1);
        }
        g.setColor(Colors.rgb(0x5d646e));
        g.fill(new Ellipse2D.Double(2, 2, 3, 3));
        g.fill(new Ellipse2D.Double(10, 10, 3, 3));
    }

    private static void leather(Graphics2D g) {
        fill(g, 0x6b3a1c);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            int v = random.nextInt(3);
            g.setColor(v == 0 ? Colors.rgb(0x5a2f15) : v == 1 ? Colors.rgb(0x7a4524) : Colors.rgb(0x4e280f));
            g.fill(new Ellipse2D.Double(random.nextInt(TILE), random.nextInt(TILE), 2, 1.5));
        }
    }

    private static void lace(Graphics2D g) {
        fill(g, 0x2a1028);
        g.setColor(Colors.rgb(0xf6f0f4));
        g.setStroke(new BasicStroke(1.1f));
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 2; cx++) {
                double x = cx * 8 + 1;
                double y = cy * 8 + 1;
                g.draw(new Ellipse2D.Double(x, y, 6, 6));
                g.fill(new Ellipse2D.Double(x + 2.2, y + 2.2, 1.6, 1.6));
            }
        }
        g.draw(new Line2D.Double(0, 8, 16, 8));
        g.draw(new Line2D.Double(8, 0, 8, 16));
    }

    private static void denim(Graphics2D g) {
        fill(g, 0x2f5d9a);
        g.setColor(Colors.rgb(0x24497c));
        g.setStroke(new BasicStroke(1.1f));
        for (int k = -16; k < 32; k += 3) {
            g.draw(new Line2D.Double(k, 0, k + 16, 16));
        }
        g.setColor(Colors.rgb(0x5b86c0));
        g.setStroke(new BasicStroke(0.5f));
        for (int k = -15; k < 32; k += 6) {
            g.draw(new Line2D.Double(k, 0, k + 16, 16));
        }
    }

    private static void ceramic(Graphics2D g) {
        fill(g, 0xf4f6fa);
        g.setColor(Colors.rgb(0x2a55c8));
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Ellipse2D.Double(3, 3, 10, 10));
        for (int petal = 0; petal < 4; petal++) {
            double angle = petal * Math.PI / 2;
            g.fill(new Ellipse2D.Double(8 + 3 * Math.cos(angle) - 1.3, 8 + 3 * Math.sin(angle) - 1.3, 2.6, 2.6));
        }
        g.fill(new Ellipse2D.Double(7, 7, 2, 2));
    }
}
