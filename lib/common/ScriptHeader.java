//DEPS info.picocli:picocli:4.7.6
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS org.slf4j:slf4j-nop:1.7.36
//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5

/**
 * The JBang header every script that includes lib/common shares: JBang reads //DEPS from included
 * sources too (checked with JBang 0.132.1), so they are written once, here; the JVM options are in
 * lib/cli/Cli.java, which every script includes. //CDS is read only from the script itself: each script
 * keeps its own line.
 */
final class ScriptHeader {
    private ScriptHeader() {}
}
