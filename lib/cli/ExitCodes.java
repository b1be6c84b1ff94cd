import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The exit codes a command returns, named on its class: Cli.commandLine turns them into the command's
 * "Exit codes:" section of --help (ExitCode's own words), and the docs generator into its page. A subclass
 * has its superclass's unless it names its own (the build scripts share BuildCommand's).
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface ExitCodes {
    ExitCode[] value();

    /** What any other exit code means (a build tool's own), or empty when there is none. */
    String other() default "";
}
