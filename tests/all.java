///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS org.junit.platform:junit-platform-launcher:1.10.2
//DEPS org.junit.jupiter:junit-jupiter-engine:5.10.2
//DEPS org.junit.jupiter:junit-jupiter-params:5.10.2
//DEPS org.yaml:snakeyaml:2.4
//DEPS com.networknt:json-schema-validator:1.5.9
//DEPS org.cyclonedx:cyclonedx-core-java:11.0.1
//DEPS software.amazon.awssdk:eventstream:2.57.8
//DEPS org.seleniumhq.selenium:selenium-java:4.27.0
//SOURCES *Test.java
//SOURCES support/*.java
//SOURCES ../lib/cli/*.java ../lib/elf/*.java
//SOURCES ../lib/common/*.java ../lib/pipeline/*.java ../lib/doctor/*.java ../lib/smart/*.java ../lib/invoke/*.java ../lib/init/*.java ../lib/gateway/*.java
//SOURCES ../lib/docs/*.java
//SOURCES ../build-lambda.java ../build-lambda-docker.java ../build-lambda-native.java ../build-lambda-smart.java
//SOURCES ../doctor.java ../invoke-lambda.java ../lambda-init.java ../manifest-diff.java
//MAIN All
//DESCRIPTION Run every test class; prints each failure and a closing `N passed, N failed` line

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.nio.file.Path;
import java.util.Set;

/**
 * Runs every *Test class compiled into this script. Usage: ./jbang tests/all.java [--fast] [--jobs N] [CLASS-NAME-REGEX]
 * --fast runs only the tests tagged "fast" (no cargo, container or qemu; under a minute), for the edit-test loop;
 * the full run, without it, is the README's test command and CI's. --jobs N: classes run N at a time (default 2).
 * Exit code: 0 when nothing failed, 1 otherwise (and 1 when no test ran at all).
 */
class All {
    static boolean isClass(TestIdentifier id) {
        return id.isContainer() && id.getSource().filter(src -> src instanceof org.junit.platform.engine.support.descriptor.ClassSource).isPresent();
    }

    /**
     * Each catalog alias built (and its launch line kept) once, one at a time, before classes run side by side: JBang
     * does not lock its jar cache, and two processes building one uncached script at once can break each other's
     * build (jbangdev/jbang#2445). `--help` builds, and starts the script once.
     */
    static void prebuild() throws Exception {
        Path catalog = Repo.ROOT.resolve("jbang-catalog.json");
        for (String alias : com.eclipsesource.json.Json.parse(java.nio.file.Files.readString(catalog)).asObject().get("aliases").asObject().names()) {
            Proc p = Proc.jbang(java.util.Map.of("NO_COLOR", "1"), alias + "@.", "--help");
            if (p.exit != 0) System.out.println("  note  " + alias + "@. --help exited " + p.exit + " before the run: " + p.err.strip());
        }
    }

    public static void main(String... args) throws Exception {
        Path root = Path.of(All.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        LauncherDiscoveryRequestBuilder req = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(root)));
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        if (rest.remove("--fast")) req.filters(org.junit.platform.launcher.TagFilter.includeTags("fast"));
        int jobs = 2;
        int j = rest.indexOf("--jobs");
        if (j >= 0) {
            String n = j + 1 < rest.size() ? rest.remove(j + 1) : "";
            rest.remove(j);
            if (!n.matches("[1-9][0-9]{0,2}")) {
                System.err.println("all: --jobs takes how many classes run at a time (1 or more), not '" + n + "'");
                System.exit(2);
            }
            jobs = Integer.parseInt(n);
        }
        if (jobs > 1) prebuild();
        if (jobs > 1) {
            // Classes two at a time (a class's own tests in order, in one thread): much of the suite waits on a
            // child (qemu, a browser, a server, a JVM start) rather than using both cores.
            req.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(jobs))
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(jobs))
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.saturate", "true");
        }
        String filter = rest.isEmpty() ? ".*Test" : rest.get(0);
        req.filters(org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns(filter));
        LauncherDiscoveryRequest request = req.build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        // Wall time per test class (its fixtures' builds included), printed at the end: where the suite's minutes go.
        java.util.Map<String, Long> classStarted = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Map<String, Long> classMillis = new java.util.concurrent.ConcurrentHashMap<>();
        TestExecutionListener progress = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier id) {
                if (isClass(id)) classStarted.put(id.getLegacyReportingName(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (isClass(id)) {
                    Long t0 = classStarted.get(id.getLegacyReportingName());
                    if (t0 != null) classMillis.put(id.getLegacyReportingName(), (System.nanoTime() - t0) / 1_000_000);
                }
                if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) return;
                String name = id.getLegacyReportingName();
                String parent = id.getParentIdObject().map(Object::toString).orElse("");
                String cls = parent.replaceAll(".*\\[class:([^\\]]+)\\].*", "$1");
                switch (result.getStatus()) {
                    case SUCCESSFUL: System.out.println("  ok    " + cls + " " + name); break;
                    case ABORTED: System.out.println("  SKIP  " + cls + " " + name + ": " + result.getThrowable().map(Throwable::getMessage).orElse("")); break;
                    default:
                        System.out.println("  FAIL  " + cls + " " + name + ": "
                                + result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("(no message)"));
                }
                System.out.flush();
            }
        };
        java.nio.file.attribute.FileTime started = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 2000);
        LauncherFactory.create().execute(request, summary, progress);
        TestExecutionSummary s = summary.getSummary();
        long failed = s.getTotalFailureCount();
        long passed = s.getTestsSucceededCount();
        // Every manifest a build wrote during the run must match docs/reference/manifest.schema.json.
        for (Path m : ManifestSchema.writtenSince(Repo.ROOT.resolve("target/test-work"), started)) {
            java.util.List<String> problems = ManifestSchema.problems(java.nio.file.Files.readString(m));
            if (problems.isEmpty()) {
                passed++;
                System.out.println("  ok    ManifestSchema " + Repo.ROOT.relativize(m));
            } else {
                failed++;
                System.out.println("  FAIL  ManifestSchema " + Repo.ROOT.relativize(m) + ": " + String.join("; ", problems));
            }
        }
        if (failed > 0) {
            System.out.println();
            System.out.println("Failures:");
            for (TestExecutionSummary.Failure f : s.getFailures()) {
                System.out.println("- " + f.getTestIdentifier().getDisplayName() + ": " + f.getException());
                StackTraceElement[] st = f.getException().getStackTrace();
                for (int i = 0; i < Math.min(4, st.length); i++) System.out.println("      at " + st[i]);
            }
        }
        System.out.println();
        System.out.println("Time per class (s), slowest first:");
        classMillis.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf(java.util.Locale.ROOT, "  %6.1f  %s%n", e.getValue() / 1000.0, e.getKey()));
        System.out.println();
        String line = passed + " passed, " + failed + " failed";
        if (s.getTestsSkippedCount() + s.getTestsAbortedCount() > 0) line += ", " + (s.getTestsSkippedCount() + s.getTestsAbortedCount()) + " skipped";
        System.out.println(line);
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }
}
