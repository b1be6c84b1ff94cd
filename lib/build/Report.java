import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table (or JSON) printed after a build: one row per function and a total. */
final class Report {
    static final class Row {
        final Workspace.Function function;
        final Path bootstrap;
        final ElfInfo info;
        final String sha256;
        Path zipPath;
        long zipSize = -1;
        String zipSha256;

        Row(Workspace.Function function, Path bootstrap, ElfInfo info, String sha256) {
            this.function = function;
            this.bootstrap = bootstrap;
            this.info = info;
            this.sha256 = sha256;
        }

        void zip(Path path, long size, String sha) {
            this.zipPath = path;
            this.zipSize = size;
            this.zipSha256 = sha;
        }
    }

    private Report() {}

    static void print(PrintWriter out, boolean json, Builder builder, Builder.Plan plan, List<Row> rows) {
        long total = rows.stream().mapToLong(r -> r.info.size).sum();
        if (json) {
            List<String> fs = new ArrayList<>();
            for (Row r : rows) {
                Object zip = r.zipPath == null ? null
                        : new Json.Obj().put("path", r.zipPath.toString()).put("size", r.zipSize).put("sha256", r.zipSha256);
                fs.add(new Json.Obj().put("name", r.function.name).put("package", r.function.pkg)
                        .put("bootstrap", r.bootstrap.toString()).put("size", r.info.size).put("sha256", r.sha256)
                        .put("arch", r.info.arch()).put("linkage", r.info.linkage).put("stripped", r.info.stripped)
                        .put("zip", zip).toString());
            }
            out.println(new Json.Obj().put("builder", builder.label()).put("target", plan.target.triple)
                    .put("profile", plan.profile).put("lambda_dir", plan.lambdaDir.toString())
                    .put("functions", new Json.Raw(Json.array(fs))).put("total_size", total));
        } else {
            Path cwd = Path.of("").toAbsolutePath();
            List<String[]> t = new ArrayList<>();
            boolean zips = rows.stream().anyMatch(r -> r.zipPath != null);
            t.add(new String[]{"FUNCTION", "SIZE", "BYTES", "ARCH", "LINKAGE", "STRIPPED", zips ? "ZIP" : "", "BOOTSTRAP"});
            for (Row r : rows) {
                t.add(new String[]{r.function.name, Sizes.human(r.info.size), Long.toString(r.info.size), r.info.arch(),
                        r.info.linkage, Boolean.TRUE.equals(r.info.stripped) ? "yes" : "no",
                        r.zipPath == null ? "" : Sizes.human(r.zipSize), shown(cwd, r.bootstrap)});
            }
            long zipTotal = rows.stream().mapToLong(r -> Math.max(0, r.zipSize)).sum();
            t.add(new String[]{"total (" + rows.size() + ")", Sizes.human(total), Long.toString(total), "", "", "", zips ? Sizes.human(zipTotal) : "", ""});
            int[] w = new int[t.get(0).length];
            for (String[] row : t) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
            for (String[] row : t) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < w.length; i++) {
                    if (w[i] == 0) continue;
                    boolean right = i == 1 || i == 2 || i == 6;
                    String cell = right ? " ".repeat(w[i] - row[i].length()) + row[i] : row[i] + " ".repeat(w[i] - row[i].length());
                    sb.append(i == 0 ? "" : "  ").append(cell);
                }
                out.println(sb.toString().stripTrailing());
            }
        }
        out.flush();
    }

    /** A path as the user would type it from here: relative when it is below the current folder. */
    static String shown(Path cwd, Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(cwd) ? cwd.relativize(a).toString() : a.toString();
    }

    static String plural(int n, String word) {
        return String.format(Locale.ROOT, "%d %s%s", n, word, n == 1 ? "" : "s");
    }
}
