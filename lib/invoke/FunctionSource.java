import java.nio.file.Path;
import java.util.List;

/** The functions served: their names and executables (the lambda folder's bootstraps, or host builds). */
interface FunctionSource {
    List<String> names();

    Path executable(String name);

    String describe();

    static FunctionSource lambdaDir(Path dir) {
        return new FunctionSource() {
            public List<String> names() {
                return Functions.names(dir);
            }

            public Path executable(String name) {
                return dir.resolve(name).resolve("bootstrap");
            }

            public String describe() {
                return Functions.list(dir);
            }
        };
    }
}
