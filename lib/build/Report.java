import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table (or JSON) printed after a build: one row per function and a total. */
final class Report {
    /** A function's reproducible zip. */
    record Zip(Path path, long size, String sha256) {}

    /** A --smoke run: ok, its init time (ms, negative when init did not finish), and what went wrong. */
    record Smoke(boolean ok, double initMs, String detail) {
        String toJson() {
            return new JsonWriter.Obj().put("status", ok ? "ok" : "failed").put("init_ms", initMs < 0 ? null : Math.round(initMs * 100) / 100.0)
                    .put("detail", detail).toString();
        }
    }

    /** One installed function. zip: null without --zip; smoke: null without --smoke. */
    record Row(Workspace.Function function, Target target, Path bootstrap, ElfInfo info, String sha256, Zip zip, Smoke smoke) {
        Row withSmoke(Smoke s) {
            return new Row(function, target, bootstrap, info, sha256, zip, s);
        }

        long zipSize() {
            return zip == null ? -1 : zip.size();
        }

        /**
         * The function as JSON: the report's objects and manifest.json's entries are the same objects. Paths
         * are relative to base (the manifest's folder), or absolute when base is null.
         */
        String toJson(Path base) {
            Object z = zip == null ? null
                    : new JsonWriter.Obj().put("path", shown(base, zip.path())).put("size", zip.size()).put("sha256", zip.sha256());
            return new JsonWriter.Obj().put("name", function.name()).put("package", function.pkg()).put("arch", info.arch())
                    .put("target", target.triple).put("bootstrap", shown(base, bootstrap)).put("size", info.size).put("sha256", sha256)
                    .put("zip", z).put("linkage", info.linkage).put("stripped", info.stripped)
                    .put("smoke", smoke == null ? null : new JsonWriter.Raw(smoke.toJson())).toString();
        }

        private static String shown(Path base, Path p) {
            return base == null ? p.toString() : base.relativize(p).toString();
        }
    }

    private Report() {}

    static void print(PrintWriter out, boolean json, String builder, Builder.Plan plan, List<Row> rows) {
        long total = rows.stream().mapToLong(r -> r.info().size).sum();
        if (json) {
            List<String> fs = rows.stream().map(r -> r.toJson(null)).collect(Collectors.toList());
            out.println(new JsonWriter.Obj().put("builder", builder).put("target", plan.target().triple)
                    .put("profile", plan.profile()).put("lambda_dir", plan.lambdaDir().toString())
                    .put("functions", new JsonWriter.Raw(JsonWriter.array(fs))).put("total_size", total));
        } else {
            Path cwd = Path.of("").toAbsolutePath();
            boolean zips = rows.stream().anyMatch(r -> r.zip() != null), smoked = rows.stream().anyMatch(r -> r.smoke() != null);
            TextTable t = new TextTable(9, 1, 2, 6)
                    .row("FUNCTION", "SIZE", "BYTES", "ARCH", "LINKAGE", "STRIPPED", zips ? "ZIP" : "", smoked ? "SMOKE" : "", "BOOTSTRAP");
            for (Row r : rows) {
                String smoke = r.smoke() == null ? "" : !r.smoke().ok() ? "FAILED"
                        : String.format(Locale.ROOT, "ok (init %.0f ms)", r.smoke().initMs());
                t.row(r.function().name(), Sizes.human(r.info().size), Long.toString(r.info().size), r.info().arch(),
                        r.info().linkage, Boolean.TRUE.equals(r.info().stripped) ? "yes" : "no",
                        r.zip() == null ? "" : Sizes.human(r.zipSize()), smoke, shown(cwd, r.bootstrap()));
            }
            long zipTotal = rows.stream().mapToLong(r -> Math.max(0, r.zipSize())).sum();
            t.row("total (" + rows.size() + ")", Sizes.human(total), Long.toString(total), "", "", "", zips ? Sizes.human(zipTotal) : "", "", "");
            t.print(out);
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
