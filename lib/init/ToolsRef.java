import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a workspace reaches these scripts: by path (PATH/jbang ALIAS@PATH, which needs no JBang installed: the
 * folder's own ./jbang wrapper runs it) or by a JBang catalog name (jbang ALIAS@NAME, JBang on PATH). A path
 * inside the workspace (a git submodule, a vendored copy) is written relative to it, so the files lambda-init
 * writes work on every clone; a path outside is written as it is, absolute, and only works on this machine.
 */
record ToolsRef(String path, String catalog) {
    static ToolsRef of(Path ws, Path cwd, Path tools, String catalog, String wrapperCatalogDir) {
        if (catalog != null) {
            if (!catalog.matches("[A-Za-z0-9._/-]+")) {
                throw new Cli.UserError(ExitCode.USAGE, "--catalog '" + catalog + "' is not a catalog name (letters, digits, . _ - /)");
            }
            return new ToolsRef(null, catalog);
        }
        Path dir;
        if (tools != null) {
            dir = cwd.resolve(tools).normalize();
        } else if (wrapperCatalogDir != null && !wrapperCatalogDir.isEmpty()) {
            dir = Path.of(wrapperCatalogDir).toAbsolutePath().normalize();
        } else {
            throw new Cli.UserError(ExitCode.USAGE, "cannot tell where the scripts are: run it as PATH/jbang lambda-init@PATH, "
                    + "or pass --tools PATH (the folder holding their jbang-catalog.json) or --catalog NAME");
        }
        if (!Files.isRegularFile(dir.resolve("jbang-catalog.json")) || !Files.isRegularFile(dir.resolve("build-lambda.java"))) {
            throw new Cli.UserError(ExitCode.USAGE, "no jbang-catalog.json with build-lambda.java in " + dir
                    + " (--tools names the folder holding these scripts)");
        }
        try {
            Path real = dir.toRealPath(), wsReal = ws.toRealPath();
            if (real.startsWith(wsReal) && !real.equals(wsReal)) return new ToolsRef(wsReal.relativize(real).toString(), null);
        } catch (java.io.IOException e) {
            // the workspace is checked by the caller; keep the absolute path
        }
        return new ToolsRef(dir.toString(), null);
    }

    /** True when the path is relative to the workspace: it travels with the repository (CodeBuild, CI, other clones). */
    boolean portable() {
        return catalog != null || !Path.of(path).isAbsolute();
    }

    /** The command line that runs ALIAS, as a package.json script writes it. */
    String command(String alias) {
        if (catalog != null) return "jbang " + alias + "@" + catalog;
        String p = quote(path);
        return (Path.of(path).isAbsolute() ? "" : "./") + p + "/jbang " + alias + "@" + p;
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9._/+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
