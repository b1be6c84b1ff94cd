//DEPS info.picocli:picocli:4.7.6
//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS org.slf4j:slf4j-nop:1.7.36
//DEPS com.eclipsesource.minimal-json:minimal-json:0.9.5
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:cds=off -Xlog:cds+dynamic=off

/**
 * The JBang header every script that includes lib/common shares: JBang reads //DEPS and //JAVA_OPTIONS
 * from included sources too (checked with JBang 0.132.1), so they are written once, here. //CDS is read
 * only from the script itself: each script keeps its own line. The JVM options favour a short run:
 * C1 only, the serial collector, no perf data file.
 */
final class ScriptHeader {
    private ScriptHeader() {}
}
