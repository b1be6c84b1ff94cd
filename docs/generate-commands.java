///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES ../build-lambda.java ../build-lambda-docker.java ../build-lambda-native.java ../build-lambda-smart.java
//SOURCES ../verify-elf.java ../doctor.java ../invoke-lambda.java ../lambda-init.java ../manifest-diff.java
//SOURCES ../lib/docs/*.java
//MAIN GenerateCommands
//DESCRIPTION Write docs/commands/<alias>.md and docs/reference/exit-codes.md from each command's picocli spec (--check: only report stale pages)

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run from the repository root: ./jbang docs/generate-commands.java. The pages are made from the scripts' own
 * classes (their @Command, options and @ExitCodes), so --help and the docs cannot drift apart.
 * Exit codes: 0 written (or, with --check, nothing stale), 1 --check found stale pages, 2 not run from the root.
 */
class GenerateCommands {
    public static void main(String... args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("jbang-catalog.json")) || !Files.isDirectory(root.resolve("docs"))) {
            System.err.println("generate-commands: run it from the repository root (the folder holding jbang-catalog.json and docs/)");
            System.exit(2);
        }
        boolean check = List.of(args).contains("--check");
        Map<String, String> pages = CommandPages.render(root);
        List<String> stale = CommandPages.stale(root, pages);
        List<String> orphans = CommandPages.orphans(root, pages);
        if (check) {
            stale.forEach(p -> System.err.println("generate-commands: stale: " + p));
            orphans.forEach(p -> System.err.println("generate-commands: no command for: " + p));
            System.exit(stale.isEmpty() && orphans.isEmpty() ? 0 : 1);
        }
        Files.createDirectories(root.resolve("docs/commands"));
        for (String p : stale) {
            Files.writeString(root.resolve(p), pages.get(p));
            System.out.println("generate-commands: wrote " + p);
        }
        for (String p : orphans) {
            Files.delete(root.resolve(p));
            System.out.println("generate-commands: removed " + p + " (no catalog alias renders it)");
        }
        if (stale.isEmpty() && orphans.isEmpty()) System.out.println("generate-commands: every page is current");
    }
}
