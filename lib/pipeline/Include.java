import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * `--include [DEST:]SRC` (cargo-lambda's syntax): a file or folder SRC put at DEST in a function's zip and next to
 * its bootstrap; without DEST, at SRC's own relative path. DEST must stay inside (no absolute path, no `..`): a
 * zip entry that climbs out of the folder it is unpacked in is refused, not written. Symbolic links are refused
 * too, never followed: an entry is a file's own bytes, the same on every machine.
 */
final class Include {
    /** One include as given: where it goes (normalised, "" for the root), where it comes from, and who asked. */
    record Spec(String dest, Path source, String given, String origin) {}

    private Include() {}

    /**
     * Parses `[DEST:]SRC`; SRC relative to base (the current folder for --include, the Cargo.toml's folder for
     * metadata). origin names the option or table in messages.
     */
    static Spec parse(String text, Path base, String origin) {
        int colon = text.indexOf(':');
        String dest = colon < 0 ? text : text.substring(0, colon), src = colon < 0 ? text : text.substring(colon + 1);
        if (src.isEmpty()) throw error(origin, text, "nothing to include: give a file or folder, as [DEST:]SRC");
        if (dest.startsWith("/")) {
            throw error(origin, text, "the destination " + dest + " is absolute; a zip entry must be relative to the function's folder"
                    + (colon < 0 ? ": name one, e.g. " + Path.of(src).getFileName() + ":" + src : ""));
        }
        List<String> parts = new ArrayList<>();
        for (String p : dest.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                throw error(origin, text, "the destination " + dest + " leaves the function's folder (..); name one inside it"
                        + (colon < 0 ? ", e.g. " + Path.of(src).getFileName() + ":" + src : ""));
            }
            parts.add(p);
        }
        return new Spec(String.join("/", parts), base.resolve(src).normalize(), text, origin);
    }

    /**
     * Every zip entry the includes add, sorted, folders (each ancestor too) mode 0755, files 0755 when any execute
     * bit is set, else 0644. reserved: entries the build writes itself (bootstrap). Two includes that put
     * different things at one path, a missing source, a link or a special file: a usage error.
     */
    static List<LambdaZip.Entry> expand(Collection<Spec> specs, Set<String> reserved) {
        TreeMap<String, LambdaZip.Entry> out = new TreeMap<>();
        TreeMap<String, Spec> by = new TreeMap<>();
        for (Spec s : specs) {
            if (!Files.exists(s.source(), LinkOption.NOFOLLOW_LINKS)) {
                throw error(s.origin(), s.given(), "no such file or folder " + s.source());
            }
            List<Path> found;
            try (Stream<Path> walk = Files.walk(s.source())) {
                found = walk.sorted().toList();
            } catch (IOException e) {
                throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + s.source() + " (" + s.origin() + " '" + s.given() + "'): " + e.getMessage());
            }
            for (Path p : found) {
                String rel = s.source().relativize(p).toString();
                String name = s.dest().isEmpty() ? rel : rel.isEmpty() ? s.dest() : s.dest() + "/" + rel;
                if (Files.isSymbolicLink(p)) {
                    throw error(s.origin(), s.given(), p + " is a symbolic link; links are not followed (an entry is a file's own "
                            + "bytes, the same on every machine): include the file it points to instead");
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!name.isEmpty()) add(out, by, LambdaZip.Entry.folder(name), s);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (name.isEmpty()) throw error(s.origin(), s.given(), "a file needs a destination name, e.g. " + p.getFileName() + ":" + s.given());
                    if (reserved.contains(name)) {
                        throw error(s.origin(), s.given(), name + " is the build's own entry; choose another destination (DEST:SRC)");
                    }
                    add(out, by, new LambdaZip.Entry(name, p, executable(p)), s);
                } else {
                    throw error(s.origin(), s.given(), p + " is neither a file nor a folder (a socket, a device?): it cannot be zipped");
                }
                for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) add(out, by, LambdaZip.Entry.folder(name.substring(0, i)), s);
            }
        }
        return List.copyOf(out.values());
    }

    private static void add(TreeMap<String, LambdaZip.Entry> out, TreeMap<String, Spec> by, LambdaZip.Entry e, Spec s) {
        String clash = e.isFolder() ? e.name().substring(0, e.name().length() - 1) : e.name() + "/";
        if (out.containsKey(clash)) {
            throw error(s.origin(), s.given(), e.name() + " is a " + (e.isFolder() ? "folder" : "file") + " here but a "
                    + (e.isFolder() ? "file" : "folder") + " in '" + by.get(clash).given() + "': give one of them another destination");
        }
        LambdaZip.Entry had = out.putIfAbsent(e.name(), e);
        if (had != null && !had.isFolder() && !had.source().equals(e.source())) {
            throw error(s.origin(), s.given(), "two includes put a file at " + e.name() + " (this one and '" + by.get(e.name()).given()
                    + "'): give one of them another destination");
        }
        by.putIfAbsent(e.name(), s);
    }

    private static boolean executable(Path p) {
        try {
            Set<PosixFilePermission> m = Files.getPosixFilePermissions(p);
            return m.contains(PosixFilePermission.OWNER_EXECUTE) || m.contains(PosixFilePermission.GROUP_EXECUTE)
                    || m.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Cli.UserError error(String origin, String given, String what) {
        return new Cli.UserError(ExitCode.USAGE, origin + " '" + given + "': " + what);
    }
}
