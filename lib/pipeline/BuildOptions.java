import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options every build script shares (a picocli @Mixin). */
final class BuildOptions {
    @Option(names = "--manifest-path", paramLabel = "PATH", description = "the Cargo.toml to build (default: the nearest one, as cargo finds it)")
    Path manifestPath;

    @Option(names = {"-p", "--package"}, paramLabel = "NAME", description = "build the functions of this package (repeatable)")
    List<String> packages = new ArrayList<>();

    @Option(names = "--bin", paramLabel = "NAME", description = "build this function (repeatable; default: every bin target of the workspace)")
    List<String> bins = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "ARCH", split = ",",
            description = "arm64 (aarch64-unknown-linux-musl, the default) or x86_64 (x86_64-unknown-linux-musl); several "
                    + "(--arch arm64,x86_64, or repeated) build each into <lambda dir>/<arch>/")
    List<String> arch = new ArrayList<>();

    @Option(names = "--target", paramLabel = "TRIPLE", description = "any Rust target triple instead of --arch (e.g. aarch64-unknown-linux-gnu.2.34)")
    String target;

    @Option(names = "--profile", paramLabel = "NAME", description = "cargo profile (default: release)")
    String profile;

    @Option(names = "--lambda-dir", paramLabel = "DIR", description = "where bootstraps go (default: <target dir>/lambda)")
    Path lambdaDir;

    @Option(names = "--clean", description = "remove the lambda folder and cargo's output for this target before building")
    boolean clean;

    @Option(names = "--zip", description = "also write <lambda dir>/<name>/bootstrap.zip: reproducible (sorted entries, fixed "
            + "timestamps, modes 0755/0644), bootstrap and the included files")
    boolean zip;

    @Option(names = "--include", paramLabel = "[DEST:]SRC", description = "add a file or folder to each function: at DEST (default: "
            + "SRC's own relative path) in its zip and next to its bootstrap (repeatable; replaces the metadata's include)")
    List<String> include = new ArrayList<>();

    @Option(names = "--extension", description = "build the selected binaries as Lambda extensions: <lambda dir>/extensions/<name> "
            + "and a layer zip <name>.zip holding extensions/<name>")
    boolean extension;

    @Option(names = "--internal", description = "with --extension: internal extensions (the layer zip holds <name> at its root)")
    boolean internal;

    @Mixin
    LimitOptions limits;

    @Option(names = "--tune", paramLabel = "MODE", arity = "0..1", fallbackValue = "speed",
            description = "release settings added where the workspace leaves them open (the default: speed): strip, lto = \"thin\", "
                    + "codegen-units = 1, and for arm64 target-cpu=neoverse-n1 for Rust and -mcpu for C; size: also opt-level = \"s\", "
                    + "lto = \"fat\", panic = \"abort\"")
    String tune;

    @Option(names = "--no-tune", description = "cargo's own release settings; only strip is added (verification requires it)")
    boolean noTune;

    @Option(names = "--smoke", description = "after installing, start each bootstrap against a local Runtime API (qemu for ARM64) "
            + "and require it to ask for an event (init succeeded); a failure fails the build, the bootstraps stay installed")
    boolean smoke;

    @Option(names = "--smoke-event", paramLabel = "DIR", description = "with --smoke (implied): send DIR/<name>.json to each function "
            + "that has one and require an answer that is not an error")
    Path smokeEvents;

    @Option(names = "--smoke-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "the longest init, and the longest answer, of a smoke check (default: ${DEFAULT-VALUE})")
    double smokeTimeout;

    @Option(names = "--sccache", description = "compile through sccache (as RUSTC_WRAPPER=sccache does): a cache shared by every build that "
            + "reaches the same backend, set with sccache's SCCACHE_* variables (S3, Redis, GCS, ...); the report counts its hits")
    boolean sccache;

    @Option(names = "--no-sbom", description = "do not embed each binary's dependency list (cargo-auditable's .dep-v0 section, which "
            + "Syft, Trivy and Grype read) nor write its CycloneDX file <name>.cdx.json next to it")
    boolean noSbom;

    @Option(names = "--reproduce", paramLabel = "MANIFEST", description = "rebuild what MANIFEST (a manifest.json) lists from "
            + "scratch: a copy of its workspace in a temporary folder, a fresh target folder, the arguments it records; then say "
            + "per function \"same sha256\" or what differs (size, the first differing ELF section); exit 1 on a difference")
    Path reproduce;

    @Mixin
    JsonOption output;

    @Option(names = "--verbose", description = "show commands as they run, and stack traces of unexpected errors")
    boolean verbose;

    @Parameters(paramLabel = "CARGO_ARGS", description = "arguments after -- go to cargo unchanged")
    List<String> cargoArgs = new ArrayList<>();
}
