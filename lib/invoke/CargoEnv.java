import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Each function's own environment variables, as cargo-lambda gives them (docs/guides/running-locally.md),
 * weakest first: [workspace.metadata.lambda.env], [workspace.metadata.lambda.bin.NAME.env],
 * [package.metadata.lambda.env], [package.metadata.lambda.bin.NAME.env] (found by LambdaTables, the reader the
 * build's settings use), then --env-file (a dotenv file, for every function); --env goes on top of all of them
 * (Invoker.Settings). Every table and the file are checked before anything starts: a value that is not a
 * string, a key Lambda would refuse (not [A-Za-z][A-Za-z0-9_]+, or one of Lambda's reserved variables) or a
 * line of the file that is not KEY=VALUE is one clear error.
 */
final class CargoEnv {
    static final CargoEnv NONE = new CargoEnv(Map.of(), Map.of(), List.of());

    /** The keys Lambda sets itself and refuses in a function's configuration (InvalidParameterValueException). */
    static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]+");

    private final Map<String, Map<String, String>> tables;
    private final Map<String, String> file;
    private final List<String> warnings;

    private CargoEnv(Map<String, Map<String, String>> tables, Map<String, String> file, List<String> warnings) {
        this.tables = tables;
        this.file = file;
        this.warnings = warnings;
    }

    /** ws: the workspace when the run has one (else only the file counts); envFile: --env-file or null. */
    static CargoEnv read(Workspace ws, Path envFile) {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        Set<String> warnings = new LinkedHashSet<>();
        if (ws != null) {
            for (Workspace.Function f : ws.functions) {
                List<LambdaTables.Table> ts = new ArrayList<>(LambdaTables.forFunction(ws, f, "env"));
                java.util.Collections.reverse(ts);
                Map<String, String> env = new LinkedHashMap<>();
                for (LambdaTables.Table t : ts) env.putAll(variables(t));
                if (!env.isEmpty()) tables.put(f.name(), Map.copyOf(env));
                for (LambdaTables.Table w : LambdaTables.forFunction(ws, f, "watch")) {
                    if (w.keys().get("env") != null || w.keys().get("env_var") != null || w.keys().get("env_file") != null) {
                        warnings.add(w.where() + ": its env, env_var and env_file are cargo-lambda watch's; invoke-lambda does not read them: "
                                + "put the variables in the env table beside it, or pass --env-file / --env");
                    }
                }
            }
        }
        Map<String, String> fromFile = envFile == null ? Map.of() : readFile(envFile);
        return new CargoEnv(Map.copyOf(tables), fromFile, List.copyOf(warnings));
    }

    /** The variables for one function: its tables merged, then the file's. */
    Map<String, String> forFunction(String name) {
        Map<String, String> env = new LinkedHashMap<>(tables.getOrDefault(name, Map.of()));
        env.putAll(file);
        return env;
    }

    List<String> warnings() {
        return warnings;
    }

    /** Every AWS_ENDPOINT_URL* variable any function gets from here, KEY=VALUE. */
    List<String> endpoints() {
        List<String> out = new ArrayList<>();
        List<Map<String, String>> all = new ArrayList<>(tables.values());
        all.add(file);
        for (Map<String, String> m : all) {
            m.forEach((k, v) -> {
                if (k.startsWith("AWS_ENDPOINT_URL") && !out.contains(k + "=" + v)) out.add(k + "=" + v);
            });
        }
        return out;
    }

    private static Map<String, String> variables(LambdaTables.Table t) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonObject.Member m : t.keys()) {
            JsonValue v = m.getValue();
            if (!v.isString()) {
                throw new Cli.UserError(ExitCode.USAGE, m.getName() + " in " + t.where() + " must be a string (Lambda's variables are text), not "
                        + v + ": write " + m.getName() + " = \"" + (v.isNumber() || v.isBoolean() ? v.toString() : "...") + "\"");
            }
            checkKey(m.getName(), t.where());
            out.put(m.getName(), v.asString());
        }
        return out;
    }

    static void checkKey(String key, String where) {
        if (!KEY.matcher(key).matches()) {
            throw new Cli.UserError(ExitCode.USAGE, "'" + key + "' in " + where + " is not a name Lambda accepts: a letter, then letters, "
                    + "digits or _ (at least two characters)");
        }
        if (RESERVED.contains(key)) {
            throw new Cli.UserError(ExitCode.USAGE, key + " in " + where + " is one of Lambda's reserved variables: a deployed function "
                    + "cannot set it; remove it (--env may still override it for a local run)");
        }
    }

    static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Cli.UserError(ExitCode.USAGE, "no env file " + file + " (--env-file takes a dotenv file of KEY=VALUE lines)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.USAGE, "cannot read the env file " + file + ": " + e.getMessage());
        }
        return parseDotenv(text, "the env file " + file);
    }

    /**
     * A dotenv file as cargo-lambda reads it (the env-file-reader crate): `KEY=VALUE` lines, an optional `export`
     * before the key, spaces around `=` ignored, values bare or quoted with ', " or ` (inside quotes, an escaped
     * quote and \n are unescaped), `#` to the end of the line a comment, blank lines skipped, an empty value
     * allowed, the last of a repeated key winning. Anything else is an error naming the line.
     */
    static Map<String, String> parseDotenv(String text, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        Lexer lx = new Lexer(text, where);
        for (Token t = lx.next(); t.kind != Kind.EOF; t = lx.next()) {
            if (t.kind == Kind.NEWLINE) continue;
            if (t.kind == Kind.EXPORT) t = lx.next();
            if (t.kind != Kind.IDENT) throw lx.error(t.line);
            Token eq = lx.next();
            if (eq.kind != Kind.EQ) throw lx.error(t.line);
            Token v = lx.next();
            String value = switch (v.kind) {
                case IDENT, QUOTED -> v.text;
                case NEWLINE, EOF -> "";
                default -> throw lx.error(v.line);
            };
            checkKey(t.text, where + ", line " + t.line);
            out.put(t.text, value);
            if (v.kind == Kind.EOF) break;
        }
        return out;
    }

    private enum Kind { IDENT, QUOTED, EQ, EXPORT, NEWLINE, EOF }

    private record Token(Kind kind, String text, int line) {}

    private static final class Lexer {
        final String s;
        final String where;
        int i;
        int line = 1;

        Lexer(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Cli.UserError error(int at) {
            return new Cli.UserError(ExitCode.USAGE, where + ", line " + at + ": expected KEY=VALUE (a value with spaces goes in quotes, "
                    + "a comment after #)");
        }

        Token next() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\n') {
                    int at = line;
                    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                        if (s.charAt(i) == '\n') line++;
                        i++;
                    }
                    return new Token(Kind.NEWLINE, "\n", at);
                }
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') i++;
                } else {
                    break;
                }
            }
            if (i >= s.length()) return new Token(Kind.EOF, "", line);
            char c = s.charAt(i);
            int at = line;
            if (c == '=') {
                i++;
                return new Token(Kind.EQ, "=", at);
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = s.indexOf(c, i + 1);
                if (c == '"') while (end > 0 && s.charAt(end - 1) == '\\') end = s.indexOf(c, end + 1);
                if (end < 0) throw new Cli.UserError(ExitCode.USAGE, where + ", line " + at + ": a quoted value is not closed (" + c + ")");
                String body = s.substring(i + 1, end);
                for (int k = 0; k < body.length(); k++) if (body.charAt(k) == '\n') line++;
                i = end + 1;
                return new Token(Kind.QUOTED, body.replace("\\" + c, String.valueOf(c)).replace("\\n", "\n"), at);
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "='`\"#".indexOf(s.charAt(i)) < 0) i++;
            String word = s.substring(start, i);
            return new Token(word.equals("export") ? Kind.EXPORT : Kind.IDENT, word, at);
        }
    }
}
