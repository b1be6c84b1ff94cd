/** The ways to build, by the word users type (doctor --for, smart's --order) and the script that does it. */
enum BuildKind {
    ZIG("zig", "build-lambda"), DOCKER("docker", "build-lambda-docker"), NATIVE("native", "build-lambda-native"),
    SMART("smart", "build-lambda-smart");

    final String word, script;

    BuildKind(String word, String script) {
        this.word = word;
        this.script = script;
    }

    /** The kind a word names, or null. */
    static BuildKind parse(String word) {
        for (BuildKind k : values()) if (k.word.equalsIgnoreCase(word)) return k;
        return null;
    }
}
