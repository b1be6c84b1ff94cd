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
 * Every exit code the scripts document (docs/reference/exit-codes.md is the same list). A failed build step exits
 * with cargo's own code instead, which is why UserError carries an int.
 */
enum ExitCode {
    OK(0),
    /** A check failed: verification, a size or glibc guard, a smoke run; doctor: a required row is missing. */
    CHECK_FAILED(1),
    /** Bad arguments or input: an unknown option, function or path, no Cargo.toml. */
    USAGE(2),
    /** A tool the build needs is missing, or does not answer. */
    MISSING_PREREQUISITE(3),
    /** build-lambda-docker: the client is there, no engine answers. */
    ENGINE_UNREACHABLE(4),
    /** build-lambda-docker: the image is not present and cannot be pulled. */
    IMAGE_UNAVAILABLE(5),
    /** invoke-lambda: the function exited or was killed during init or the invocation. */
    FUNCTION_CRASHED(6),
    /** invoke-lambda: the function did not answer in time (and was stopped). */
    TIMED_OUT(7),
    /** A bug: an unexpected exception (sysexits' EX_SOFTWARE). Never a reason to try another build. */
    INTERNAL(70),
    /** An output could not be written or read back (sysexits' EX_IOERR). */
    IO_ERROR(74),
    /** Interrupted (Ctrl-C): 128 + SIGINT, as a shell reports it. */
    INTERRUPTED(130);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
