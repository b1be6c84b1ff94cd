import picocli.CommandLine;

/**
 * A value read from the user's words, or the one line that says why it is not one. Parsers return it and take
 * no picocli spec; the command turns a problem into its usage error (exit 2) with {@link #orUsage}.
 */
record Parsed<T>(T value, String problem) {
    static <T> Parsed<T> ok(T value) {
        return new Parsed<>(value, null);
    }

    static <T> Parsed<T> bad(String problem) {
        return new Parsed<>(null, problem);
    }

    T orUsage(CommandLine.Model.CommandSpec spec) {
        if (problem != null) throw new CommandLine.ParameterException(spec.commandLine(), problem);
        return value;
    }
}
