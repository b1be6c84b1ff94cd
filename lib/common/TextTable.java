import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: columns as wide as their widest cell, two spaces apart, some right-aligned; a
 * column whose every cell is empty takes no room. The build's report and doctor's rows print through it.
 */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    /** rightAligned: the indexes of the columns aligned to the right (numbers). */
    TextTable(int columns, int... rightAligned) {
        right = new boolean[columns];
        for (int i : rightAligned) right[i] = true;
    }

    TextTable row(String... cells) {
        if (cells.length != right.length) throw new IllegalArgumentException(cells.length + " cells for " + right.length + " columns");
        rows.add(cells.clone());
        return this;
    }

    void print(PrintWriter out) {
        int[] w = new int[right.length];
        for (String[] row : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0) continue;
                String pad = " ".repeat(w[i] - row[i].length());
                sb.append(first ? "" : "  ").append(right[i] ? pad + row[i] : row[i] + pad);
                first = false;
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
