import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every exit code the scripts return, and the one place each is described: each command's --help lists the
 * ones it names with @ExitCodes, and docs/reference/exit-codes.md is generated from this list
 * (docs/generate-commands.java). A failed build step exits with cargo's own code instead, which is why
 * UserError carries an int.
 */
enum ExitCode {
    OK(0, "success: built and verified, every file passed, the function answered, the manifests compared, the files written", ""),
    CHECK_FAILED(1, "a check failed: a bootstrap's verification, --max-size or --max-glibc/--runtime (nothing installed), "
            + "--smoke (installed, and marked), a doctor row the build needs; invoke-lambda: the function returned an error",
            "The error object of a function that returned one is on stdout."),
    USAGE(2, "usage or input error: an unknown option, function, package or arch, a path or Cargo.toml that is not there, "
            + "a bad --include or Cargo.toml key, an invalid event, a malformed manifest (nothing is built or written)",
            "A bad --include is one that is missing, a symbolic link, or whose destination leaves the function's folder; "
                    + "a bad key is an unknown or mistyped one in `[*.metadata.lambda.build]`."),
    MISSING_PREREQUISITE(3, "a prerequisite is missing or does not answer: cargo, cargo-zigbuild, zig, the target's std, "
            + "a linker for the target, the container client or the image's tools, qemu-user, sccache, jbang", ""),
    ENGINE_UNREACHABLE(4, "the container engine is not reachable (the client is there, no engine answers)", ""),
    IMAGE_UNAVAILABLE(5, "the container image is not available (not present, and pulling it failed)", ""),
    FUNCTION_CRASHED(6, "the function exited or was killed during init or the invocation (a crash, a panic, SIGILL, an init error)", ""),
    TIMED_OUT(7, "the function did not answer within --timeout (it was stopped)", ""),
    /** sysexits' EX_SOFTWARE. Never a reason to try another build. */
    INTERNAL(70, "internal error: a bug in these scripts (the line says so; --verbose shows the stack trace)", ""),
    /** sysexits' EX_IOERR. */
    IO_ERROR(74, "an output could not be written or read back (a full disk, a read-only folder)", ""),
    /** 128 + SIGINT, as a shell reports it. */
    INTERRUPTED(130, "interrupted (Ctrl-C): nothing half-written is left, and no child process or container keeps running", "");

    final int code;
    /** One line, as --help shows it. */
    final String meaning;
    /** More for the reference page, or empty. */
    final String detail;

    ExitCode(int code, String meaning, String detail) {
        this.code = code;
        this.meaning = meaning;
        this.detail = detail;
    }
}
