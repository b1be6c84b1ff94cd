import picocli.CommandLine;

import java.util.Map;

/** What --tune and --no-tune ask for: profile settings (each added only where the workspace leaves it open). */
enum Tune {
    NONE("plain"), SPEED("speed"), SIZE("size");

    final String word;

    Tune(String word) {
        this.word = word;
    }

    Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("strip", "symbols");
        if (this == NONE) return s;
        if (this == SIZE) {
            s.put("opt-level", "s");
            s.put("lto", "fat");
            s.put("panic", "abort");
        } else {
            s.put("lto", "thin");
            // 11 % of the bytes on an AWS SDK workspace (bench/README.md, sizes): a panicking handler then
            // ends its process (the next invoke is a cold start) instead of answering an error.
            s.put("panic", "abort");
        }
        s.put("codegen-units", "1");
        return s;
    }

    /** --tune/--no-tune as asked; a workspace that disables optimizations and names neither gets NONE. */
    static Tune of(CommandLine.Model.CommandSpec spec, BuildOptions o, boolean optimizationsDisabled) {
        if (o.noTune) return NONE;
        if (o.tune == null) return optimizationsDisabled ? NONE : SPEED;
        return switch (o.tune) {
            case "speed" -> SPEED;
            case "size" -> SIZE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown --tune '" + o.tune + "' (use speed or size, or --no-tune)");
        };
    }
}
