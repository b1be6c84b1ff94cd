import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ./jbang wrapper's launch cache, on a copy of the project: a kept command line is used while nothing
 * it depends on changed, and never after an edit to the script or to any file its //SOURCES name, a changed
 * or removed dependency jar (JBang's cache or the Maven repository), another JDK, a java that is gone or
 * another JBANG_CACHE_DIR. And each kept line gets a class-data archive that holds picocli's classes.
 */
class LaunchCacheTest {
    @Test
    void anEditToTheScriptOrAnyOfItsSourcesIsPickedUpAndAMissingJarIsRebuilt() throws IOException {
        Path copy = project();
        Path home = wrapperHome(), version = home.resolve("0.132.1");
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");

        for (int i = 0; i < 3; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        List<Path> kept = kept(version, "verify-elf");
        assertEquals(1, kept.size(), "one kept line for the unchanged script: " + kept);

        Path script = copy.resolve("verify-elf.java");
        Files.writeString(script, Files.readString(script).replace("System.exit(", "System.out.print(\"edited \"); System.exit("));
        assertEquals("edited verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip(), "an edit to the script itself");
        run(copy, env, "verify-elf@.", "--version");
        assertEquals(2, kept(version, "verify-elf").size(), "the edited script has a key of its own");

        // build-lambda's //SOURCES name lib/pipeline/*.java: an edit there is picked up too.
        for (int i = 0; i < 2; i++) assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build"));
        Path options = copy.resolve("lib/pipeline/BuildOptions.java");
        Files.writeString(options, Files.readString(options).replace("the Cargo.toml to build", "the Cargo.toml to build (edited)"));
        assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build (edited)"), "an edit to a sourced file");

        // A kept line whose jar was removed (a cleared JBang cache) is not used: JBang builds the jar again.
        run(copy, env, "build-lambda@.", "--help");
        Matcher jar = Pattern.compile("[^:' ]*/\\.jbang/cache/jars/[^:' ]*\\.jar").matcher(Files.readString(kept(version, "build-lambda").get(0)));
        assertTrue(jar.find());
        Files.delete(Path.of(jar.group()));
        assertTrue(run(copy, env, "build-lambda@.", "--help").out.contains("the Cargo.toml to build (edited)"));
    }

    @Test
    void anInstalledJbangsJarIsRunWithTheLaunchCacheAndAnUpgradeIsPickedUp() throws IOException {
        Path copy = project(), home = wrapperHome(), bin = Repo.scratch("launch-installed").resolve("bin");
        Files.createDirectories(bin);
        // An installed JBang as its installers lay it out: bin/jbang (the launcher) beside bin/jbang.jar. This jar is
        // the Maven-fetched JBang's jars named by a manifest Class-Path; the launcher fails when it is run instead.
        List<String> paths;
        try (Stream<Path> jars = Files.list(realWrapperHome().resolve("lib"))) {
            paths = jars.sorted().map(j -> j.toUri().getRawPath()).toList();
        }
        Path mf = bin.resolve("manifest.txt"), jar = bin.resolve("jbang.jar"), launcher = bin.resolve("jbang");
        // One entry a line, each a continuation line (a leading space, then the separating one).
        Files.writeString(mf, "Manifest-Version: 1.0\nClass-Path: " + String.join("\n  ", paths) + "\n");
        assertEquals(0, Proc.run(bin, Path.of(System.getProperty("java.home"), "bin/jar").toString(), "cfm", jar.toString(), mf.toString()).exit);
        Files.writeString(launcher, "#!/bin/sh\necho 'installed launcher run' >&2\nexit 99\n");
        assertTrue(launcher.toFile().setExecutable(true));
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "",
                "PATH", bin + ":" + System.getenv("PATH"));

        for (int i = 0; i < 2; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        List<Path> installed;
        try (Stream<Path> s = Files.list(home)) {
            installed = s.filter(d -> d.getFileName().toString().startsWith("installed-")).toList();
        }
        assertEquals(1, installed.size(), "the installed JBang's own folder in the wrapper home: " + installed);
        List<Path> kept = kept(installed.get(0), "verify-elf");
        assertEquals(1, kept.size(), "one kept line: " + kept);
        assertFalse(askedJBangAgain(kept.get(0), () -> run(copy, env, "verify-elf@.", "--version")), "the kept line runs");
        // JBang upgraded in place: its jar is newer than the kept line, which is not used.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(1)));
        assertTrue(askedJBangAgain(kept.get(0), () -> assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip())),
                "an upgraded JBang");
    }

    /** A copy of the project: the wrapper, the catalog, two scripts and lib/. */
    @Test
    void aChangedOrRemovedJarInTheMavenRepositoryAndAnotherJbangCacheDirArePickedUp() throws IOException {
        Path copy = project(), home = wrapperHome(), scratch = Repo.scratch("launch-repo");
        // A Maven repository and a JBang cache of their own (JBANG_REPO, JBANG_CACHE_DIR): picocli copied in.
        Path picocli = Path.of(System.getProperty("user.home"), ".m2/repository/info/picocli/picocli/4.7.6");
        Path repo = scratch.resolve("m2"), cache = scratch.resolve("jbang-cache"), jar = repo.resolve("info/picocli/picocli/4.7.6/picocli-4.7.6.jar");
        Files.createDirectories(jar.getParent());
        assertEquals(0, Proc.run(Repo.ROOT, "cp", "-r", picocli.resolve("picocli-4.7.6.jar").toString(), picocli.resolve("picocli-4.7.6.pom").toString(),
                jar.getParent().toString()).exit);
        Map<String, String> env = new HashMap<>(Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "",
                "JBANG_REPO", repo.toString(), "JBANG_CACHE_DIR", cache.toString()));
        for (int i = 0; i < 2; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        Path kept = onlyKept(home);
        String line = Files.readString(kept);
        assertTrue(line.contains(jar.toString()), "the kept line uses JBANG_REPO's jar: " + line);
        assertTrue(line.contains(cache.toString()), "and JBANG_CACHE_DIR's script jar: " + line);
        assertFalse(askedJBangAgain(kept, () -> run(copy, env, "verify-elf@.", "--version")), "nothing changed: the kept line runs");

        // A dependency jar written again (a re-download, a SNAPSHOT): newer than the kept line, which is not used.
        Files.write(jar, Files.readAllBytes(jar));
        assertTrue(askedJBangAgain(kept, () -> assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip())),
                "a changed dependency jar");

        // A removed dependency jar: JBang is asked, resolves it again, and the script runs.
        Files.delete(jar);
        assertTrue(askedJBangAgain(kept, () -> assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip())),
                "a removed dependency jar");
        assertTrue(Files.isRegularFile(jar), "JBang fetched the removed jar again");

        // Another JBANG_CACHE_DIR is another key; a removed one is built again.
        Path cache2 = scratch.resolve("jbang-cache-2");
        env.put("JBANG_CACHE_DIR", cache2.toString());
        // Twice: JBang's first run of a script in a new cache records its //CDS archive, a line that is not kept.
        for (int i = 0; i < 2; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        List<Path> both = kept(home.resolve("0.132.1"), "verify-elf");
        assertEquals(2, both.size(), "a line of its own for the other JBANG_CACHE_DIR: " + both);
        assertTrue(Files.readString(both.get(0)).contains(cache2.toString()));
        assertEquals(0, Proc.run(Repo.ROOT, "rm", "-rf", cache2.toString()).exit);
        assertTrue(askedJBangAgain(both.get(0), () -> {
            for (int i = 0; i < 2; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        }), "a removed JBANG_CACHE_DIR");
        assertTrue(Files.isDirectory(cache2.resolve("jars")), "JBang built the script again in it");
    }

    @Test
    void anotherJdkIsPickedUpAndAKeptLineWhoseJavaIsGoneIsNotUsed() throws IOException {
        Path copy = project(), home = wrapperHome();
        // Another JDK, as JAVA_HOME: this project's machines have a second one beside the default (Temurin 25 beside Java 17).
        Path current = Path.of(System.getProperty("java.home")).toRealPath();
        Path jdk;
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            jdk = s.filter(d -> Files.isExecutable(d.resolve("bin/java"))).map(d -> {
                try {
                    return d.resolve("bin/java").toRealPath().getParent().getParent();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(d -> !d.equals(current)).sorted().findFirst().orElseThrow(() -> new AssertionError(
                    "this test needs a second JDK under /usr/lib/jvm beside " + current + " (this project's machines have Temurin 25)"));
        }
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");
        for (int i = 0; i < 2; i++) assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip());
        Path first = onlyKept(home);
        assertFalse(Files.readString(first).startsWith(jdk.toString()));

        Map<String, String> other = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "", "JAVA_HOME", jdk.toString());
        assertEquals("verify-elf 0.1.0", run(copy, other, "verify-elf@.", "--version").out.strip());
        List<Path> kept = kept(home.resolve("0.132.1"), "verify-elf");
        assertEquals(2, kept.size(), "another JDK, another kept line: " + kept);
        Path second = kept.get(0);
        assertTrue(Files.readString(second).startsWith(jdk.resolve("bin/java").toString()), "the line runs the other JDK's java: " + Files.readString(second));

        // A kept line whose java is gone (a JDK JBang installed, then removed): not used, JBang is asked again.
        Files.writeString(first, Files.readString(first).replaceFirst("^\\S+", "/nonexistent/jdk/bin/java"));
        assertTrue(askedJBangAgain(first, () -> assertEquals("verify-elf 0.1.0", run(copy, env, "verify-elf@.", "--version").out.strip())),
                "a java that is gone");
        assertFalse(Files.readString(first).startsWith("/nonexistent"));
    }

    @Test
    void eachKeptLineGetsAClassDataArchiveWithPicocliInIt() throws IOException {
        Path copy = project(), home = wrapperHome();
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");
        Path elf = copy.resolve("not-an-elf");
        Files.writeString(elf, "text");
        // JBang's line, then the class list (a run that does the work: --version does not count), then the archive.
        for (int i = 0; i < 4; i++) {
            Proc p = Proc.run(copy, env, List.of(copy.resolve("jbang").toString(), "verify-elf@.", elf.toString()), 600);
            assertNotEquals(0, p.exit, p.toString());
            assertTrue(p.out.contains("not-an-elf: FAIL not an ELF file"), p.toString());
        }
        // Run the kept line with that archive, sharing required: picocli's classes (class version 49, which
        // JBang's dynamic //CDS archive leaves out on Java 17) come from it.
        Proc p = withItsArchive(copy, env, onlyKept(home), "--version");
        assertTrue(p.out.lines().anyMatch(l -> l.contains("picocli.CommandLine ") && l.contains("shared objects file")),
                "picocli.CommandLine from the archive: " + p.out.lines().filter(l -> l.contains("picocli.CommandLine ")).toList());
    }

    @Test
    void aClassListFromARunThatStoppedAtAUsageErrorIsRecordedAgain() throws IOException {
        Path copy = project(), home = wrapperHome();
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");
        String bootstrap = ElfSamples.get().path(ElfSamples.A64_STATIC_STRIPPED).toString();
        // JBang's line; then the run that records the class list stops at a usage error (exit 2), before any ELF
        // was read; then two runs that decode arm64 code.
        assertEquals(0, Proc.run(copy, env, List.of(copy.resolve("jbang").toString(), "verify-elf@.", bootstrap), 600).exit);
        Proc usage = Proc.run(copy, env, List.of(copy.resolve("jbang").toString(), "verify-elf@.", copy.resolve("no-such-file").toString()), 600);
        assertEquals(2, usage.exit, usage.toString());
        for (int i = 0; i < 2; i++) {
            Proc p = Proc.run(copy, env, List.of(copy.resolve("jbang").toString(), "verify-elf@.", bootstrap), 600);
            assertEquals(0, p.exit, p.toString());
        }
        // The archive holds the CPU check's decoder: it was made from a run that did the work, not from the usage error.
        Proc p = withItsArchive(copy, env, onlyKept(home), bootstrap);
        List<String> decoder = p.out.lines().filter(l -> l.contains(" A64Features source: ")).toList();
        assertEquals(1, decoder.size(), p.toString());
        assertTrue(decoder.get(0).contains("shared objects file"), "A64Features from the archive: " + decoder);
    }

    @Test
    void oldArchivesOfAnAliasGoWhenANewOneIsMadeAndOtherAliasesKeepTheirs() throws IOException {
        Path copy = project(), home = wrapperHome(), launch = home.resolve("0.132.1/launch");
        Files.createDirectories(launch);
        Map<String, String> env = Map.of("JBANG_WRAPPER_HOME", home.toString(), "JBANG_JAVA_OPTIONS", "");
        // Eight archives of earlier edits of verify-elf, made 1 to 8 hours ago and last read two days ago but the
        // eighth, read just now; and one of an alias whose name starts with "verify-elf-", as old.
        long now = System.currentTimeMillis(), hour = 3_600_000L;
        List<Path> old = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            Path f = launch.resolve("verify-elf-" + String.format("%032x", i) + ".jsa");
            Files.writeString(f, "archive " + i);
            setTimes(f, now - i * hour, i == 8 ? now : now - 48 * hour);
            old.add(f);
        }
        Path other = launch.resolve("verify-elf-extra-" + String.format("%032x", 9) + ".jsa");
        Files.writeString(other, "another alias");
        setTimes(other, now - 9 * hour, now - 48 * hour);
        // JBang's line, the class list, then the archive: the new archive is made, and the old ones are pruned.
        String bootstrap = ElfSamples.get().path(ElfSamples.A64_STATIC_STRIPPED).toString();
        for (int i = 0; i < 3; i++) assertTrue(run(copy, env, "verify-elf@.", bootstrap).out.contains(": OK ELF"));
        Path kept = onlyKept(home);
        assertTrue(Files.size(Path.of(kept.toString().replaceAll("\\.sh$", ".jsa"))) > 0, "the new archive");
        // The new one and the five newest old ones are the six newest: kept. The sixth and seventh old ones, not read
        // for a day, go; the eighth, read just now, stays. The other alias's archive is not verify-elf's to prune.
        for (int i = 1; i <= 8; i++) {
            assertEquals(i <= 5 || i == 8, Files.exists(old.get(i - 1)), "old archive " + i);
        }
        assertTrue(Files.exists(other), "another alias's archive");
    }

    private static void setTimes(Path f, long modified, long accessed) throws IOException {
        Files.getFileAttributeView(f, java.nio.file.attribute.BasicFileAttributeView.class)
                .setTimes(FileTime.fromMillis(modified), FileTime.fromMillis(accessed), null);
    }

    /**
     * The kept line run with its own archive, sharing required (it fails without the archive) and every class load
     * logged on stdout, with arg; after an assertion that the archive is there and the run exited 0.
     */
    private static Proc withItsArchive(Path copy, Map<String, String> env, Path kept, String arg) throws IOException {
        Path jsa = Path.of(kept.toString().replaceAll("\\.sh$", ".jsa"));
        assertTrue(Files.size(jsa) > 0, "an archive next to the kept line");
        String line = Files.readString(kept).replaceAll(" -XX:SharedArchiveFile=\\S+", "");
        List<String> words = new java.util.ArrayList<>(List.of(line.split(" ")));
        words.removeIf(w -> w.startsWith("-Xlog:"));
        words.addAll(1, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-Xlog:class+load=info"));
        words.add(arg);
        Proc p = Proc.run(copy, env, words, 120);
        assertEquals(0, p.exit, p.toString());
        return p;
    }

    private static Path project() throws IOException {
        Path copy = Repo.scratch("launch-cache").resolve("project");
        Files.createDirectories(copy);
        for (String f : List.of("jbang", "jbang-catalog.json", "verify-elf.java", "build-lambda.java", "lib")) {
            assertEquals(0, Proc.run(Repo.ROOT, "cp", "-r", Repo.ROOT.resolve(f).toString(), copy.resolve(f).toString()).exit);
        }
        return copy;
    }

    /** A wrapper home of its own, sharing the JBang jars the real one fetched (no second Maven fetch). */
    private static Path wrapperHome() throws IOException {
        Path home = Repo.scratch("launch-home"), version = home.resolve("0.132.1");
        Files.createDirectories(version);
        Files.createSymbolicLink(version.resolve("lib"), realWrapperHome().resolve("lib"));
        Files.writeString(version.resolve("ready"), "");
        return home;
    }

    /** The one kept line of verify-elf in this wrapper home, after runs that must have kept exactly one. */
    private static Path onlyKept(Path home) throws IOException {
        List<Path> kept = kept(home.resolve("0.132.1"), "verify-elf");
        assertEquals(1, kept.size(), "one kept line: " + kept);
        return kept.get(0);
    }

    /** Whether the next run asked JBang again (it rewrites the kept line) rather than running the kept one. */
    private static boolean askedJBangAgain(Path kept, Runnable run) throws IOException {
        FileTime before = Files.getLastModifiedTime(kept);
        run.run();
        return Files.getLastModifiedTime(kept).compareTo(before) > 0;
    }

    private static Proc run(Path dir, Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(dir.resolve("jbang").toString()));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(dir, env, cmd, 600);
        assertEquals(0, p.exit, p.toString());
        return p;
    }

    private static List<Path> kept(Path version, String alias) throws IOException {
        Path dir = version.resolve("launch");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(alias + "-") && p.toString().endsWith(".sh"))
                    .sorted((a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified())).toList();
        }
    }

    /** Where ./jbang keeps JBang's jars for this user, as the wrapper decides it. */
    private static Path realWrapperHome() {
        String base = System.getenv("JBANG_WRAPPER_HOME");
        if (base == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            base = (xdg != null ? xdg : System.getProperty("user.home") + "/.cache") + "/jbang-wrapper";
        }
        return Path.of(base, "0.132.1");
    }
}
