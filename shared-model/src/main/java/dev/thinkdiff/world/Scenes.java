package dev.thinkdiff.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The ten CoBSAT backgrounds (beach, desert, glacier, volcano, amusement park, gym, waterfall, space, cave, seafloor),
 * each a full 64×64 scene with its own palette and landmark, drawn behind the animal. The seed moves the landmarks.
 */
final class Scenes {

    private Scenes() {
    }

    static void paint(Graphics2D g, int background, Variation v) {
        switch (background) {
            case 0 -> beach(g, v);
            case 1 -> desert(g, v);
            case 2 -> glacier(g, v);
            case 3 -> volcano(g, v);
            case 4 -> amusementPark(g, v);
            case 5 -> gym(g, v);
            case 6 -> waterfall(g, v);
            case 7 -> space(g, v);
            case 8 -> cave(g, v);
            case 9 -> seafloor(g, v);
            default -> throw new IllegalArgumentException("background " + background);
        }
    }

    /** A plain studio backdrop, used where the theme is not the background (the action theme). */
    static void studio(Graphics2D g, Variation v) {
        int top = 222 + (int) (v.shade() * 40);
        g.setPaint(new GradientPaint(0, 0, new Color(top, top, top - 6), 0, 64, new Color(top - 30, top - 28, top - 34)));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(0, 0, 0, 22));
        g.fillRect(0, 50, 64, 14);
    }

    private static void sky(Graphics2D g, Color top, Color bottom, int height) {
        g.setPaint(new GradientPaint(0, 0, top, 0, height, bottom));
        g.fillRect(0, 0, 64, height);
    }

    private static void beach(Graphics2D g, Variation v) {
        sky(g, new Color(0x5fb4f0), new Color(0xbfe6fb), 26);
        g.setColor(new Color(0x1f78c8));
        g.fillRect(0, 24, 64, 14);
        g.setColor(new Color(0xffffff));
        g.setStroke(new BasicStroke(1f));
        for (int x = v.phaseX() % 12 - 12; x < 64; x += 12) {
            g.draw(new Line2D.Double(x, 31, x + 6, 31));
        }
        g.setColor(new Color(0xf1d38e));
        Path2D sand = new Path2D.Double();
        sand.moveTo(0, 36);
        sand.quadTo(32, 33, 64, 37);
        sand.lineTo(64, 64);
        sand.lineTo(0, 64);
        sand.closePath();
        g.fill(sand);
        g.setColor(new Color(0xffe35a));
        g.fill(new Ellipse2D.Double(48 + v.phaseY() % 8, 3, 10, 10));
        g.setColor(new Color(0xd9b46a));
        for (int k = 0; k < 6; k++) {
            g.fill(new Ellipse2D.Double(v.uniform(0, 62), v.uniform(42, 62), 1.5, 1.5));
        }
    }

    private static void desert(Graphics2D g, Variation v) {
        sky(g, new Color(0xf3a04a), new Color(0xfbe1a0), 34);
        g.setColor(new Color(0xfff3b0));
        g.fill(new Ellipse2D.Double(6 + v.phaseX(), 5, 11, 11));
        g.setColor(new Color(0xe0a050));
        Path2D far = new Path2D.Double();
        far.moveTo(0, 34);
        far.quadTo(18, 22, 36, 32);
        far.quadTo(50, 24, 64, 30);
        far.lineTo(64, 64);
        far.lineTo(0, 64);
        far.closePath();
        g.fill(far);
        g.setColor(new Color(0xcc8a3c));
        Path2D near = new Path2D.Double();
        near.moveTo(0, 46);
        near.quadTo(30, 36, 64, 48);
        near.lineTo(64, 64);
        near.lineTo(0, 64);
        near.closePath();
        g.fill(near);
        double cx = v.phaseY() % 2 == 0 ? 5 : 55;
        g.setColor(new Color(0x3f8a3a));
        g.fill(new Rectangle2D.Double(cx, 26, 4, 20));
        g.fill(new Rectangle2D.Double(cx - 4, 31, 3, 7));
        g.fill(new Rectangle2D.Double(cx - 4, 36, 6, 2.5));
        g.fill(new Rectangle2D.Double(cx + 5, 29, 3, 7));
    }

    private static void glacier(Graphics2D g, Variation v) {
        sky(g, new Color(0x9cc9ec), new Color(0xe6f3fb), 40);
        g.setColor(new Color(0xd6ecfa));
        Path2D peaks = new Path2D.Double();
        peaks.moveTo(0, 34);
        double shift = v.phaseX() - 8;
        peaks.lineTo(8 + shift, 12);
        peaks.lineTo(20 + shift, 26);
        peaks.lineTo(34 + shift, 8);
        peaks.lineTo(50 + shift, 24);
        peaks.lineTo(58 + shift, 14);
        peaks.lineTo(64, 24);
        peaks.lineTo(64, 64);
        peaks.lineTo(0, 64);
        peaks.closePath();
        g.fill(peaks);
        g.setColor(new Color(0x86b8e0));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(8 + shift, 12, 12 + shift, 30));
        g.draw(new Line2D.Double(34 + shift, 8, 30 + shift, 30));
        g.setColor(new Color(0xf4fbff));
        g.fillRect(0, 44, 64, 20);
        g.setColor(new Color(0xa9d2f0));
        for (int x = 2; x < 64; x += 11) {
            g.draw(new Line2D.Double(x, 48, x + 6, 56));
        }
    }

    private static void volcano(Graphics2D g, Variation v) {
        sky(g, new Color(0x3a1f24), new Color(0x9a3a22), 40);
        double peak = 32 + v.phaseX() - 8;
        g.setColor(new Color(0x7a7070));
        g.fill(new Ellipse2D.Double(peak - 8, 0, 12, 8));
        g.fill(new Ellipse2D.Double(peak - 2, -3, 12, 9));
        g.setColor(new Color(0x3b2620));
        Path2D cone = new Path2D.Double();
        cone.moveTo(peak - 40, 56);
        cone.lineTo(peak - 6, 12);
        cone.lineTo(peak + 6, 12);
        cone.lineTo(peak + 40, 56);
        cone.closePath();
        g.fill(cone);
        g.setColor(new Color(0xff5a14));
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D lava = new Path2D.Double();
        lava.moveTo(peak - 5, 13);
        lava.quadTo(peak - 10, 26, peak - 16, 40);
        lava.moveTo(peak + 4, 13);
        lava.quadTo(peak + 9, 28, peak + 12, 44);
        g.draw(lava);
        g.setColor(new Color(0xffb020));
        g.fill(new Ellipse2D.Double(peak - 6, 10, 12, 4));
        g.setColor(new Color(0x2a1a16));
        g.fillRect(0, 52, 64, 12);
    }

    private static void amusementPark(Graphics2D g, Variation v) {
        sky(g, new Color(0x78c4f5), new Color(0xd4eefc), 44);
        double cx = v.phaseX() % 2 == 0 ? 14 : 50;
        g.setColor(new Color(0x9a9aa8));
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(cx, 18, cx - 8, 46));
        g.draw(new Line2D.Double(cx, 18, cx + 8, 46));
        g.setColor(new Color(0xe0342c));
        g.setStroke(new BasicStroke(1.6f));
        g.draw(new Ellipse2D.Double(cx - 14, 4, 28, 28));
        g.setStroke(new BasicStroke(0.7f));
        for (int k = 0; k < 8; k++) {
            double a = k * Math.PI / 4 + v.phaseY() * 0.1;
            g.draw(new Line2D.Double(cx, 18, cx + 14 * Math.cos(a), 18 + 14 * Math.sin(a)));
        }
        int[] cabins = {0xffd23a, 0x3ab0ff, 0x46c84a, 0xff6ac8};
        for (int k = 0; k < 8; k++) {
            double a = k * Math.PI / 4 + v.phaseY() * 0.1;
            g.setColor(new Color(cabins[k % 4]));
            g.fill(new Rectangle2D.Double(cx + 14 * Math.cos(a) - 2, 18 + 14 * Math.sin(a) - 2, 4, 4));
        }
        double tx = cx < 32 ? 44 : 4;
        for (int k = 0; k < 4; k++) {
            g.setColor(k % 2 == 0 ? new Color(0xe8343a) : Color.WHITE);
            Path2D stripe = new Path2D.Double();
            stripe.moveTo(tx + 8, 22);
            stripe.lineTo(tx + k * 4, 34);
            stripe.lineTo(tx + k * 4 + 4, 34);
            stripe.closePath();
            g.fill(stripe);
            g.fill(new Rectangle2D.Double(tx + k * 4, 34, 4, 10));
        }
        g.setColor(new Color(0x5cb84a));
        g.fillRect(0, 44, 64, 20);
        g.setColor(new Color(0xc8a070));
        g.fillRect(0, 54, 64, 10);
    }

    private static void gym(Graphics2D g, Variation v) {
        g.setColor(new Color(0xd8d2c4));
        g.fillRect(0, 0, 64, 44);
        g.setColor(new Color(0x5e6a78));
        g.fillRect(0, 0, 64, 5);
        g.setColor(new Color(0x9aa6b2));
        g.fillRect(0, 36, 64, 3);
        g.setColor(new Color(0x3a3a40));
        g.fillRect(0, 44, 64, 20);
        g.setColor(new Color(0x4e4e56));
        for (int x = v.phaseX() % 8; x < 64; x += 8) {
            g.drawLine(x, 44, x, 63);
        }
        double y = 12 + v.phaseY() % 6;
        g.setColor(new Color(0x8a8f96));
        g.fill(new Rectangle2D.Double(4, y + 4, 56, 2));
        g.setColor(new Color(0x202022));
        g.fill(new Rectangle2D.Double(4, y - 2, 5, 14));
        g.fill(new Rectangle2D.Double(10, y, 3, 10));
        g.fill(new Rectangle2D.Double(55, y - 2, 5, 14));
        g.fill(new Rectangle2D.Double(51, y, 3, 10));
        g.setColor(new Color(0xc83a30));
        g.fill(new Rectangle2D.Double(26, 20 + y * 0.2, 12, 5));
        g.setColor(new Color(0x202022));
        g.fill(new Ellipse2D.Double(24, 19 + y * 0.2, 4, 7));
        g.fill(new Ellipse2D.Double(36, 19 + y * 0.2, 4, 7));
    }

    private static void waterfall(Graphics2D g, Variation v) {
        sky(g, new Color(0x8fd0f0), new Color(0xcfeef8), 20);
        g.setColor(new Color(0x4a7a3a));
        g.fillRect(0, 6, 22, 58);
        g.fillRect(42, 6, 22, 58);
        g.setColor(new Color(0x2f6a2a));
        g.fill(new Ellipse2D.Double(-6, 0, 30, 14));
        g.fill(new Ellipse2D.Double(40, 0, 30, 14));
        g.setColor(new Color(0x6a6a60));
        g.fillRect(20, 6, 24, 4);
        g.setPaint(new GradientPaint(0, 10, new Color(0xdff4ff), 0, 50, new Color(0x6ab8e8)));
        g.fillRect(22, 9, 20, 41);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1f));
        for (int x = 23 + v.phaseX() % 3; x < 42; x += 3) {
            g.draw(new Line2D.Double(x, 9, x, 50));
        }
        g.setColor(new Color(0x2f8ad0));
        g.fillRect(0, 48, 64, 16);
        g.setColor(new Color(0xf0fbff));
        g.fill(new Ellipse2D.Double(16, 45, 32, 7));
    }

    private static void space(Graphics2D g, Variation v) {
        g.setColor(new Color(0x05061a));
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.WHITE);
        java.util.SplittableRandom stars = new java.util.SplittableRandom(v.phaseX() * 31L + v.phaseY());
        for (int k = 0; k < 26; k++) {
            double s = stars.nextDouble() < 0.2 ? 1.6 : 0.9;
            g.fill(new Rectangle2D.Double(stars.nextInt(64), stars.nextInt(64), s, s));
        }
        double px = v.phaseX() % 2 == 0 ? 8 : 44;
        g.setColor(new Color(0xe0a060));
        g.fill(new Ellipse2D.Double(px, 6, 13, 13));
        g.setColor(new Color(0xf0d8b0));
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Ellipse2D.Double(px - 4, 10.5, 21, 4));
        g.setColor(new Color(0x9a9aa6));
        g.fill(new Ellipse2D.Double(-10, 50, 84, 30));
        g.setColor(new Color(0x76768a));
        g.fill(new Ellipse2D.Double(10, 55, 8, 3));
        g.fill(new Ellipse2D.Double(44, 58, 10, 3));
    }

    private static void cave(Graphics2D g, Variation v) {
        g.setColor(new Color(0x2a1c14));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(0x5a4232));
        g.fill(new Ellipse2D.Double(4, 8, 56, 64));
        g.setColor(new Color(0x6e5440));
        g.fill(new Ellipse2D.Double(14, 18, 36, 50));
        g.setColor(new Color(0x2a1c14));
        for (int k = 0; k < 6; k++) {
            double x = 6 + k * 10 + v.phaseX() % 5;
            Path2D stalactite = new Path2D.Double();
            stalactite.moveTo(x - 3, 8);
            stalactite.lineTo(x + 3, 8);
            stalactite.lineTo(x, 8 + 6 + (k * 7 + v.phaseY()) % 8);
            stalactite.closePath();
            g.fill(stalactite);
        }
        g.fillRect(0, 0, 64, 9);
        g.setColor(new Color(0x3e2c20));
        g.fillRect(0, 54, 64, 10);
        g.setColor(new Color(0xffc860));
        g.fill(new Ellipse2D.Double(52, 40, 3, 5));
    }

    private static void seafloor(Graphics2D g, Variation v) {
        g.setPaint(new GradientPaint(0, 0, new Color(0x1a8ab8), 0, 64, new Color(0x0a2a5a)));
        g.fillRect(0, 0, 64, 64);
        g.setColor(new Color(0xd8c890));
        Path2D sand = new Path2D.Double();
        sand.moveTo(0, 54);
        sand.quadTo(32, 48, 64, 55);
        sand.lineTo(64, 64);
        sand.lineTo(0, 64);
        sand.closePath();
        g.fill(sand);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < 4; k++) {
            double x = 4 + k * 17 + v.phaseX() % 4;
            Path2D weed = new Path2D.Double();
            weed.moveTo(x, 56);
            weed.curveTo(x - 4, 46, x + 4, 40, x - 1, 28 + (k % 2) * 6);
            g.setColor(k % 2 == 0 ? new Color(0x2fa84a) : new Color(0x1f8a3a));
            g.draw(weed);
        }
        g.setColor(new Color(0xe85a70));
        g.fill(new Ellipse2D.Double(50, 50, 7, 5));
        g.setColor(new Color(0xcff4ff));
        g.setStroke(new BasicStroke(0.7f));
        for (int k = 0; k < 5; k++) {
            double s = 2 + k % 3;
            g.draw(new Ellipse2D.Double(8 + k * 11 + v.phaseY() % 4, 6 + (k * 13) % 22, s, s));
        }
    }
}
