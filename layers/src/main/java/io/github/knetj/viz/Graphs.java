package io.github.knetj.viz;

import io.github.knetj.autograd.AutoGrad.Tape;
import io.github.knetj.autograd.AutoGrad.Value;
import io.github.knetj.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A picture of a recorded autograd graph as SVG (chapter 2's), drawn without Graphviz: every value is a box (its op and
 * shape, or its name for inputs, and optionally a note such as the op's backward rule), every edge an arrow from an
 * input to the op that used it, and values sit in columns by their distance from the inputs, so the picture reads
 * left to right in the order the ops ran.
 * <pre>{@code
 * Tape t = diff(() -> sum(tanh(add(mul(w, x), b))));
 * Files.writeString(Path.of("graph.svg"), Graphs.svg(t, Map.of(w, "w", x, "x", b, "b")));
 * }</pre>
 */
public final class Graphs {
    private static final int BOX_W = 180, BOX_H = 56, GAP_X = 60, GAP_Y = 24, MARGIN = 20;

    private Graphs() {}

    /** The graph that produced the tape's result; parameters and constants are labelled "param" and "const". */
    public static String svg(Tape tape) { return svg(tape.result(), Map.of(), Map.of()); }

    /** The same, with names for the inputs: {@code svg(tape, Map.of(w, "w", x, "x"))}. */
    public static String svg(Tape tape, Map<Value, String> names) { return svg(tape.result(), names, Map.of()); }

    /** Writes {@link #svg(Tape, Map)} to {@code file}, atomically. */
    public static void save(Path file, Tape tape, Map<Value, String> names) throws IOException {
        AtomicFiles.write(file, svg(tape, names).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The graph that ends in {@code root}. {@code names} labels the inputs ("w", "x"); other values are labelled
     * with their op. The inputs of a value are those of the node that made it ({@link Value#inputs()}).
     * {@code notes} adds a third line to the boxes of the ops it names ("tanh" → "back: g·(1 − y²)").
     */
    public static String svg(Value root, Map<Value, String> names, Map<String, String> notes) {
        Map<Value, Integer> column = new IdentityHashMap<>();
        List<Value> order = new ArrayList<>();
        place(root, column, order);
        int columns = 0;
        for (int c : column.values()) columns = Math.max(columns, c + 1);
        int[] rows = new int[columns];
        Map<Value, int[]> at = new IdentityHashMap<>();
        for (Value v : order) at.put(v, new int[]{column.get(v), rows[column.get(v)]++});
        int maxRows = 0;
        for (int r : rows) maxRows = Math.max(maxRows, r);
        int width = 2 * MARGIN + columns * BOX_W + (columns - 1) * GAP_X, height = 2 * MARGIN + maxRows * BOX_H + (maxRows - 1) * GAP_Y;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"monospace\" font-size=\"13\">%n", width, height, width, height));
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        for (Value v : order)
            for (Value in : inputs(v)) {
                if (in == null) continue;
                int[] a = at.get(in), b = at.get(v);
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>%n",
                        x(a) + BOX_W, y(a) + BOX_H / 2, x(b), y(b) + BOX_H / 2));
            }
        for (Value v : order) {
            int[] p = at.get(v);
            String fill = names.containsKey(v) ? (v.tracked() ? "#ffe9b3" : "#e8e8e8") : "#cfe3ff";
            String label = names.containsKey(v) ? names.get(v) + (v.tracked() ? " (param)" : " (const)") : v.op();
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"%s\" stroke=\"#333\"/>%n",
                    x(p), y(p), BOX_W, BOX_H, fill));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x(p) + BOX_W / 2, y(p) + 17, esc(label)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n",
                    x(p) + BOX_W / 2, y(p) + 33, v.shape() + " " + v.dtype()));
            String note = names.containsKey(v) ? null : notes.get(v.op());
            if (note != null)
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#a0522d\" font-size=\"12\">%s</text>%n",
                        x(p) + BOX_W / 2, y(p) + 49, esc(note)));
        }
        return sb.append("</svg>\n").toString();
    }

    /**
     * Columns by longest distance from an input; order lists every value after its inputs (depth first, inputs in
     * order). Iterative, like the core's backward, so that a long recurrent graph cannot overflow the stack.
     */
    private static void place(Value root, Map<Value, Integer> column, List<Value> order) {
        java.util.ArrayDeque<Value> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> next = new java.util.ArrayDeque<>();
        stack.push(root);
        next.push(0);
        while (!stack.isEmpty()) {
            Value v = stack.peek();
            Value[] ins = inputs(v);
            int i = next.pop();
            while (i < ins.length && (ins[i] == null || column.containsKey(ins[i]))) i++;
            if (i < ins.length) {   // visit this input first, then come back for the next one
                next.push(i + 1);
                stack.push(ins[i]);
                next.push(0);
                continue;
            }
            stack.pop();
            int c = 0;
            for (Value in : ins) if (in != null) c = Math.max(c, column.get(in) + 1);
            column.put(v, c);
            order.add(v);
        }
    }

    /** Text as SVG character data. */
    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    /** The values the op that made v read ({@link Value#inputs()}: none for constants and parameters). */
    private static Value[] inputs(Value v) { return v.inputs().toArray(Value[]::new); }

    private static int x(int[] p) { return MARGIN + p[0] * (BOX_W + GAP_X); }

    private static int y(int[] p) { return MARGIN + p[1] * (BOX_H + GAP_Y); }
}
