import java.util.ArrayList;
import java.util.List;

/** Lambda's size limits: a warning by default, a failure past --max-size. */
final class SizeLimits {
    /** Lambda's limits: a zip uploaded directly, and the unzipped function (AWS's MB are MiB). */
    static final long ZIP_LIMIT = 50L << 20, UNZIPPED_LIMIT = 250L << 20;

    private SizeLimits() {}

    /** failures: past --max-size; warnings: past Lambda's own limits. */
    record Verdict(List<String> failures, List<String> warnings) {}

    /** zipSize < 0: no zip; maxSize < 0: no --max-size. */
    static Verdict judge(String function, long size, long zipSize, long maxSize) {
        List<String> over = new ArrayList<>();
        if (maxSize >= 0 && size > maxSize) over.add("bootstrap is " + Sizes.human(size));
        if (maxSize >= 0 && zipSize > maxSize) over.add("bootstrap.zip is " + Sizes.human(zipSize));
        List<String> failures = over.isEmpty() ? List.of()
                : List.of(function + ": " + String.join(", ", over) + ", larger than --max-size " + Sizes.human(maxSize));
        List<String> warnings = new ArrayList<>();
        if (size > UNZIPPED_LIMIT) {
            warnings.add(function + ": bootstrap is " + Sizes.human(size) + ", over Lambda's 250 MB unzipped limit");
        }
        if (zipSize > ZIP_LIMIT) {
            warnings.add(function + ": bootstrap.zip is " + Sizes.human(zipSize) + ", over Lambda's 50 MB limit for a direct upload (upload it through S3)");
        }
        return new Verdict(failures, warnings);
    }
}
