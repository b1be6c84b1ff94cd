///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lib/cli/*.java lib/elf/*.java
//SOURCES lib/common/*.java lib/init/*.java
//FILES lambda-init/buildspec.yml=buildspecs/build.yml
//MAIN LambdaInit
//CDS
//DESCRIPTION Set up a Cargo workspace to use these scripts without copying them: pnpm scripts, a CodeBuild buildspec, a .gitignore line

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "lambda-init", description = {"Write into a Cargo workspace what it needs to build with these scripts from where they are: "
                + "package.json scripts (build:lambda, build:lambda:clean, :docker, :native, :smart, build:native, verify:lambda, "
                + "doctor:lambda, dev), buildspec.yml for CodeBuild, and a .gitignore line for target/. Nothing that exists is "
                + "overwritten: a script of the same name with another command, or an existing buildspec.yml, is kept and named."})
@ExitCodes({ExitCode.OK, ExitCode.USAGE, ExitCode.IO_ERROR, ExitCode.INTERNAL})
class LambdaInit implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the workspace's root folder, holding Cargo.toml (default: the current folder)")
    Path dir;

    @Option(names = "--tools", paramLabel = "PATH", description = "the folder holding these scripts' jbang-catalog.json, as the "
            + "workspace should reach it: written relative to DIR when it is inside (a git submodule), else absolute "
            + "(default: the folder `./jbang ALIAS@PATH` was given)")
    Path tools;

    @Option(names = "--catalog", paramLabel = "NAME", description = "call the scripts as `jbang ALIAS@NAME` (a catalog added with "
            + "`jbang catalog add --global --name NAME PATH/jbang-catalog.json`, or GitHub's owner/repo) instead of by path; jbang must be on PATH")
    String catalog;

    @CommandLine.Mixin
    CommonOptions cli;

    public static void main(String... args) {
        System.exit(Cli.run(new LambdaInit(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (tools != null && catalog != null) {
            throw cli.usage("give --tools or --catalog, not both");
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path ws = dir == null ? cwd : cwd.resolve(dir).normalize();
        ToolsRef ref = ToolsRef.of(ws, cwd, tools, catalog, System.getenv("JBANG_WRAPPER_CATALOG_DIR"));
        WorkspaceInit.Result r = WorkspaceInit.apply(ws, ref, LambdaInit.class.getResource("/lambda-init/buildspec.yml"));
        r.lines().forEach(l -> cli.err().println("lambda-init: " + l));
        cli.err().flush();
        return ExitCode.OK.code;
    }
}
