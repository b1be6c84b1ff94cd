import picocli.CommandLine.Option;

/** --json, as every command that has a report offers it (a picocli @Mixin); each command's description says the shape. */
final class JsonOption {
    @Option(names = "--json", description = "print JSON on stdout instead of text (what it holds: \"With --json\" in the description above)")
    boolean json;
}
