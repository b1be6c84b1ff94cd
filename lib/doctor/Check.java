import java.util.List;

/** One row of doctor's report: what was looked for, what was found, and how to fix it. */
final class Check {
    enum Status {
        OK("ok"), WARN("warn"), MISSING("missing"), FAIL("fail");

        final String word;

        Status(String word) {
            this.word = word;
        }
    }

    /** Whether the chosen build (--for) needs the row. */
    enum Need {
        REQUIRED("yes", "required"), OPTIONAL("optional", "optional"), NOT_NEEDED("not needed", "not needed");

        /** In the table's REQUIRED column, and in --json. */
        final String word, json;

        Need(String word, String json) {
            this.word = word;
            this.json = json;
        }
    }

    /** Stable identifier for --json. */
    final String name;
    /** Shown in the table. */
    final String label;
    final Status status;
    final String version;
    final String detail;
    String fix;
    /** The fix as a command --fix may run by itself; null when a person has to do it. */
    List<String> fixCommand;
    Need need = Need.REQUIRED;

    private Check(String name, String label, Status status, String version, String detail) {
        this.name = name;
        this.label = label;
        this.status = status;
        this.version = version;
        this.detail = detail;
    }

    static Check ok(String name, String label, String version, String detail) {
        return new Check(name, label, Status.OK, version, detail);
    }

    static Check of(Status status, String name, String label, String version, String detail) {
        return new Check(name, label, status, version, detail);
    }

    Check fix(String text) {
        this.fix = text;
        return this;
    }

    Check fix(Fix f) {
        if (f != null) {
            this.fix = f.text;
            this.fixCommand = f.command;
        }
        return this;
    }

    boolean ok() {
        return status == Status.OK;
    }

    /** A required row that is not there: doctor exits 1. A warning never blocks. */
    boolean blocking() {
        return need == Need.REQUIRED && (status == Status.MISSING || status == Status.FAIL);
    }

    String toJson() {
        return new JsonWriter.Obj().put("name", name).put("label", label).put("status", status.word).put("version", version)
                .put("required", need == Need.REQUIRED).put("need", need.json).put("fix", fix)
                .put("auto_fix", fixCommand != null).put("detail", detail).toString();
    }

    /** A fix: the text a person reads, and the command --fix runs (null: not run automatically). */
    static final class Fix {
        final String text;
        final List<String> command;

        Fix(String text, List<String> command) {
            this.text = text;
            this.command = command;
        }

        static Fix manual(String text) {
            return new Fix(text, null);
        }
    }
}
