import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Lambda's size limits: a warning by default, a failure past --max-size. */
final class Limits {
    /** Lambda's limits: a zip uploaded directly, and the unzipped function (AWS's MB are MiB). */
    static final long ZIP_LIMIT = 50L << 20, UNZIPPED_LIMIT = 250L << 20;

    private Limits() {}

    /** Failures for --max-size (when set); warnings on err for Lambda's own limits. zipSize < 0: no zip. */
    static List<String> check(String function, long size, long zipSize, long maxSize, PrintWriter err, String me) {
        List<String> over = new ArrayList<>();
        if (maxSize >= 0 && size > maxSize) over.add("bootstrap is " + Sizes.human(size));
        if (maxSize >= 0 && zipSize > maxSize) over.add("bootstrap.zip is " + Sizes.human(zipSize));
        List<String> failures = over.isEmpty() ? List.of()
                : List.of(function + ": " + String.join(", ", over) + ", larger than --max-size " + Sizes.human(maxSize));
        if (size > UNZIPPED_LIMIT) {
            err.println(me + ": warning: " + function + ": bootstrap is " + Sizes.human(size) + ", over Lambda's 250 MB unzipped limit");
        }
        if (zipSize > ZIP_LIMIT) {
            err.println(me + ": warning: " + function + ": bootstrap.zip is " + Sizes.human(zipSize)
                    + ", over Lambda's 50 MB limit for a direct upload (upload it through S3)");
        }
        return failures;
    }
}
