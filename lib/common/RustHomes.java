import java.nio.file.Path;
import java.util.Map;

/**
 * Where cargo and rustup keep their state, decided as they decide it: CARGO_HOME (RUSTUP_HOME), else
 * .cargo (.rustup) in the home folder, which is $HOME where it is set and the account's home otherwise.
 */
final class RustHomes {
    private RustHomes() {}

    static Path cargo(Map<String, String> env) {
        return orHome(env, "CARGO_HOME", ".cargo");
    }

    static Path rustup(Map<String, String> env) {
        return orHome(env, "RUSTUP_HOME", ".rustup");
    }

    private static Path orHome(Map<String, String> env, String variable, String folder) {
        String set = env.get(variable);
        if (set != null && !set.isEmpty()) return Path.of(set).toAbsolutePath();
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), folder);
    }
}
