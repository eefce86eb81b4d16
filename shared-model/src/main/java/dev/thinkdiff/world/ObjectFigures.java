package dev.thinkdiff.world;

import dev.thinkdiff.world.Figure.Detail;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;

/**
 * The ten CoBSAT objects (leaf, hat, cup, chair, car, box, book, ball, bag, apple) as figures, in list order. Shapes
 * are chosen so that the silhouette alone tells them apart: the attribute themes recolour, retexture and restyle them.
 */
final class ObjectFigures {

    /** The colour each object is drawn in when the theme does not set one (style theme). */
    static final Color[] NATURAL = {
        Colors.rgb(0x3f9b3a), Colors.rgb(0x6a3fa0), Colors.rgb(0xd2442f), Colors.rgb(0x9a6233), Colors.rgb(0xd8262b),
        Colors.rgb(0xc89a5a), Colors.rgb(0x2f63c0), Colors.rgb(0xf08a1c), Colors.rgb(0xd63c8c), Colors.rgb(0xc8201f)
    };

    private static final Color WHEEL = Colors.rgb(0x222222);
    private static final Color GLASS = Colors.rgb(0xbfe3f5);
    private static final Color PAGES = Colors.rgb(0xf6f1e2);
    private static final Color STEM = Colors.rgb(0x5a3a1a);

    private static final List<Figure> FIGURES = List.of(leaf(), hat(), cup(), chair(), car(), box(), book(), ball(),
            bag(), apple());

    private ObjectFigures() {
    }

    static Figure figure(int object) {
        return FIGURES.get(object);
    }

    private static Figure leaf() {
        Path2D blade = new Path2D.Double();
        blade.moveTo(-17, 14);
        blade.curveTo(-18, -6, 2, -18, 18, -16);
        blade.curveTo(16, 2, 4, 18, -17, 14);
        blade.closePath();
        Area body = new Area(blade);
        body.add(new Area(new java.awt.BasicStroke(2.4f).createStrokedShape(new Line2D.Double(-17, 14, -21, 19))));
        Path2D veins = new Path2D.Double();
        veins.moveTo(-15, 12);
        veins.lineTo(15, -13);
        for (double t = 0.25; t < 0.9; t += 0.2) {
            double x = -15 + 30 * t;
            double y = 12 - 25 * t;
            veins.moveTo(x, y);
            veins.lineTo(x + 2, y + 7);
            veins.moveTo(x, y);
            veins.lineTo(x - 6, y - 3);
        }
        return new Figure(body, List.of(Detail.line(veins, 1.2f)));
    }

    private static Figure hat() {
        Area body = new Area(new Ellipse2D.Double(-21, 6, 42, 10));
        body.add(new Area(new RoundRectangle2D.Double(-12, -16, 24, 26, 6, 6)));
        Shape band = new Rectangle2D.Double(-12, 2, 24, 5);
        Shape brimShadow = new Arc2D.Double(-21, 6, 42, 10, 180, 180, Arc2D.OPEN);
        return new Figure(body, List.of(Detail.darker(band), Detail.line(brimShadow, 1.2f)));
    }

    private static Figure cup() {
        Path2D mug = new Path2D.Double();
        mug.moveTo(-14, -14);
        mug.lineTo(10, -14);
        mug.lineTo(8, 14);
        mug.quadTo(-2, 17, -12, 14);
        mug.closePath();
        Area body = new Area(mug);
        Area handle = new Area(new Ellipse2D.Double(3, -8, 16, 16));
        handle.subtract(new Area(new Ellipse2D.Double(7, -4, 8, 8)));
        handle.subtract(new Area(new Rectangle2D.Double(-14, -14, 22, 30)));
        body.add(handle);
        Shape rim = new Ellipse2D.Double(-14, -17, 24, 6);
        Shape inside = new Ellipse2D.Double(-12, -16, 20, 4);
        body.add(new Area(rim));
        return new Figure(body, List.of(Detail.darker(inside), Detail.line(rim, 1.0f)));
    }

    private static Figure chair() {
        Area body = new Area(new RoundRectangle2D.Double(-12, -20, 6, 24, 3, 3));
        body.add(new Area(new RoundRectangle2D.Double(-12, 0, 26, 6, 2, 2)));
        body.add(new Area(new Rectangle2D.Double(-12, 4, 4, 16)));
        body.add(new Area(new Rectangle2D.Double(10, 4, 4, 16)));
        body.add(new Area(new Rectangle2D.Double(-10, -18, 2, 4)));
        Path2D rails = new Path2D.Double();
        rails.moveTo(-10, -14);
        rails.lineTo(-10, -2);
        rails.moveTo(-8, 13);
        rails.lineTo(10, 13);
        return new Figure(body, List.of(Detail.line(rails, 1.2f), Detail.darker(new Rectangle2D.Double(-12, 4, 26, 2))));
    }

    private static Figure car() {
        Path2D shell = new Path2D.Double();
        shell.moveTo(-21, 8);
        shell.lineTo(-21, -1);
        shell.lineTo(-12, -3);
        shell.lineTo(-6, -12);
        shell.lineTo(8, -12);
        shell.lineTo(14, -3);
        shell.lineTo(21, -1);
        shell.lineTo(21, 8);
        shell.closePath();
        Area body = new Area(shell);
        Path2D windows = new Path2D.Double();
        windows.moveTo(-9, -3);
        windows.lineTo(-5, -10);
        windows.lineTo(0, -10);
        windows.lineTo(0, -3);
        windows.closePath();
        windows.moveTo(2, -3);
        windows.lineTo(2, -10);
        windows.lineTo(7, -10);
        windows.lineTo(11, -3);
        windows.closePath();
        Shape wheels = union(new Ellipse2D.Double(-17, 3, 10, 10), new Ellipse2D.Double(7, 3, 10, 10));
        Shape hubs = union(new Ellipse2D.Double(-14, 6, 4, 4), new Ellipse2D.Double(10, 6, 4, 4));
        Shape light = new Rectangle2D.Double(18, 0, 3, 3);
        return new Figure(body, List.of(Detail.fixed(windows, GLASS), Detail.fixed(wheels, WHEEL),
                Detail.fixed(hubs, Colors.rgb(0xaaaaaa)), Detail.fixed(light, Colors.rgb(0xffe680)),
                Detail.line(new Line2D.Double(0, -3, 0, 6), 1.0f)));
    }

    private static Figure box() {
        Path2D front = new Path2D.Double();
        front.moveTo(-17, -6);
        front.lineTo(7, -6);
        front.lineTo(7, 18);
        front.lineTo(-17, 18);
        front.closePath();
        Path2D top = new Path2D.Double();
        top.moveTo(-17, -6);
        top.lineTo(-7, -16);
        top.lineTo(17, -16);
        top.lineTo(7, -6);
        top.closePath();
        Path2D side = new Path2D.Double();
        side.moveTo(7, -6);
        side.lineTo(17, -16);
        side.lineTo(17, 8);
        side.lineTo(7, 18);
        side.closePath();
        Area body = new Area(front);
        body.add(new Area(top));
        body.add(new Area(side));
        Path2D edges = new Path2D.Double();
        edges.moveTo(-17, -6);
        edges.lineTo(7, -6);
        edges.lineTo(17, -16);
        edges.moveTo(7, -6);
        edges.lineTo(7, 18);
        edges.moveTo(-12, -11);
        edges.lineTo(12, -11);
        return new Figure(body, List.of(Detail.lighter(top), Detail.darker(side), Detail.line(edges, 1.2f)));
    }

    private static Figure book() {
        Area body = new Area(new RoundRectangle2D.Double(-13, -19, 26, 36, 3, 3));
        Shape pages = new Rectangle2D.Double(-10, 15, 23, 4);
        body.add(new Area(pages));
        Shape spine = new Rectangle2D.Double(-13, -19, 5, 36);
        Path2D title = new Path2D.Double();
        title.moveTo(-3, -10);
        title.lineTo(9, -10);
        title.moveTo(-3, -6);
        title.lineTo(6, -6);
        Path2D pageLines = new Path2D.Double();
        pageLines.moveTo(-9, 16.5);
        pageLines.lineTo(12, 16.5);
        return new Figure(body, List.of(Detail.darker(spine), Detail.fixed(pages, PAGES), Detail.line(pageLines, 0.8f),
                Detail.line(title, 1.6f)));
    }

    private static Figure ball() {
        Shape body = new Ellipse2D.Double(-17, -17, 34, 34);
        Path2D seams = new Path2D.Double();
        seams.moveTo(-17, 0);
        seams.lineTo(17, 0);
        seams.moveTo(0, -17);
        seams.lineTo(0, 17);
        seams.append(new Arc2D.Double(-30, -17, 24, 34, -60, 120, Arc2D.OPEN), false);
        seams.append(new Arc2D.Double(6, -17, 24, 34, 120, 120, Arc2D.OPEN), false);
        Shape shine = new Ellipse2D.Double(-11, -12, 7, 5);
        return new Figure(body, List.of(Detail.line(seams, 1.3f), Detail.lighter(shine)));
    }

    private static Figure bag() {
        Path2D sack = new Path2D.Double();
        sack.moveTo(-12, -6);
        sack.lineTo(12, -6);
        sack.lineTo(18, 16);
        sack.lineTo(-18, 16);
        sack.closePath();
        Area body = new Area(sack);
        Area handle = new Area(new Ellipse2D.Double(-9, -20, 18, 22));
        handle.subtract(new Area(new Ellipse2D.Double(-6, -17, 12, 16)));
        handle.subtract(new Area(new Rectangle2D.Double(-20, -6, 40, 24)));
        body.add(handle);
        Shape flap = new Rectangle2D.Double(-13, -6, 26, 8);
        Shape clasp = new RoundRectangle2D.Double(-3, 0, 6, 5, 2, 2);
        return new Figure(body, List.of(Detail.darker(flap), Detail.fixed(clasp, Colors.rgb(0xe8c33a))));
    }

    private static Figure apple() {
        Area body = new Area(new Ellipse2D.Double(-17, -12, 20, 28));
        body.add(new Area(new Ellipse2D.Double(-3, -12, 20, 28)));
        body.add(new Area(new Ellipse2D.Double(-12, -4, 24, 21)));
        body.subtract(new Area(new Ellipse2D.Double(-3, -15, 6, 6)));
        Shape stem = new java.awt.BasicStroke(2.2f).createStrokedShape(new Line2D.Double(0, -10, 2, -19));
        GeneralPath leaf = new GeneralPath();
        leaf.moveTo(2, -15);
        leaf.quadTo(8, -22, 14, -18);
        leaf.quadTo(8, -12, 2, -15);
        Shape shine = new Ellipse2D.Double(-12, -6, 5, 8);
        return new Figure(body, List.of(Detail.fixed(stem, STEM), Detail.fixed(leaf, Colors.rgb(0x3a9a30)),
                Detail.lighter(shine)));
    }

    private static Shape union(Shape a, Shape b) {
        Area area = new Area(a);
        area.add(new Area(b));
        return area;
    }
}
