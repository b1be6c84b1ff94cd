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

    /**
     * One installed function or extension. bootstrap: the installed binary; zip: null without one; included: the
     * files its includes added (zip paths); smoke: null without --smoke.
     */
    record Row(BuildConfig.Packaged packaged, Target target, Path bootstrap, ElfInfo info, String sha256, Zip zip, List<String> included,
               Smoke smoke, Sbom.Ref sbom) {
        Row withSmoke(Smoke s) {
            return new Row(packaged, target, bootstrap, info, sha256, zip, included, s, sbom);
        }

        Workspace.Function function() {
            return packaged.function();
        }

        boolean isExtension() {
            return packaged.kind() == Layout.Kind.EXTENSION;
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
            JsonWriter.Obj o = new JsonWriter.Obj().put("name", function().name()).put("kind", packaged.kind().word());
            if (isExtension()) o.put("internal", packaged.internal());
            o.put("package", function().pkg()).put("arch", info.arch()).put("target", target.triple)
                    .put(isExtension() ? "binary" : "bootstrap", shown(base, bootstrap)).put("size", info.size).put("sha256", sha256)
                    .put("zip", z).put("sbom", sbom == null ? null : new JsonWriter.Raw(sbom.toJson(base))).put("include", included).put("linkage", info.linkage).put("stripped", info.stripped);
            if (!isExtension()) o.put("smoke", smoke == null ? null : new JsonWriter.Raw(smoke.toJson()));
            return o.toString();
        }

        private static String shown(Path base, Path p) {
            return base == null ? p.toString() : base.relativize(p).toString();
        }
    }

    private Report() {}

    /** plans: one per target built (their lambda folder and profile are the same). */
    static void print(PrintWriter out, boolean json, String builder, List<Builder.Plan> plans, List<Row> rows, CompileCache.Stats cache) {
        long total = rows.stream().mapToLong(r -> r.info().size).sum();
        Builder.Plan plan = plans.get(0);
        if (json) {
            List<String> fs = rows.stream().filter(r -> !r.isExtension()).map(r -> r.toJson(null)).collect(Collectors.toList());
            List<String> xs = rows.stream().filter(Row::isExtension).map(r -> r.toJson(null)).collect(Collectors.toList());
            out.println(new JsonWriter.Obj().put("builder", builder).put("target", plans.size() == 1 ? plan.target().triple : null)
                    .put("targets", plans.stream().map(p -> p.target().triple).toList())
                    .put("profile", plan.profile()).put("lambda_dir", plan.lambdaDir().toString())
                    .put("functions", new JsonWriter.Raw(JsonWriter.array(fs))).put("extensions", new JsonWriter.Raw(JsonWriter.array(xs)))
                    .put("total_size", total).put("sccache", cache == null ? null : new JsonWriter.Raw(cache.toJson())));
        } else {
            Path cwd = Path.of("").toAbsolutePath();
            boolean zips = rows.stream().anyMatch(r -> r.zip() != null), smoked = rows.stream().anyMatch(r -> r.smoke() != null);
            TextTable t = new TextTable(9, 1, 2, 6)
                    .row("FUNCTION", "SIZE", "BYTES", "ARCH", "LINKAGE", "STRIPPED", zips ? "ZIP" : "", smoked ? "SMOKE" : "", "BOOTSTRAP");
            for (Row r : rows) {
                String smoke = r.smoke() == null ? "" : !r.smoke().ok() ? "FAILED"
                        : String.format(Locale.ROOT, "ok (init %.0f ms)", r.smoke().initMs());
                t.row(r.function().name() + (r.isExtension() ? " (extension)" : ""), Sizes.human(r.info().size), Long.toString(r.info().size), r.info().arch(),
                        String.valueOf(r.info().linkage), Boolean.TRUE.equals(r.info().stripped) ? "yes" : "no",
                        r.zip() == null ? "" : Sizes.human(r.zipSize()), smoke, shown(cwd, r.bootstrap()));
            }
            long zipTotal = rows.stream().mapToLong(r -> Math.max(0, r.zipSize())).sum();
            t.row("total (" + rows.size() + ")", Sizes.human(total), Long.toString(total), "", "", "", zips ? Sizes.human(zipTotal) : "", "", "");
            t.print(out);
            if (cache != null) out.println(cache.line());
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
