package dev.daxaudit.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The modules' layering, by where their code runs (README, "Layout"): {@code bootstrap} ({@code dev.daxaudit.core}
 * and its sub-packages) goes on the audited JVM's boot class path and is linked to from java.base, so it reaches
 * nothing but the JDK and the two libraries relocated into the boot jar; {@code tools} runs outside the audited JVM
 * and never reaches the hooks or the agent; and no package depends on itself through another.
 */
class LayeringTest {
    /** The agent's classes and those of the bootstrap and tools modules it is built from, jars or directories. */
    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.daxaudit");

    @Test
    void theModulesAreAllHere() {
        // A rule over no classes passes: make sure each module's classes were found.
        for (String type : new String[] {"dev.daxaudit.core.DaxEngine", "dev.daxaudit.core.hooks.Hooks",
                "dev.daxaudit.agent.PreMain", "dev.daxaudit.tools.cli.Cli", "dev.daxaudit.tools.crash.CrashStates"}) {
            if (!ALL.contain(type)) {
                throw new AssertionError(type + " was not imported");
            }
        }
    }

    @Test
    void bootstrapReachesOnlyTheJdkAndItsRelocatedLibraries() {
        classes().that().resideInAPackage("dev.daxaudit.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jdk..", "sun.nio.ch..",
                        "dev.daxaudit.core..", "com.fasterxml.jackson.core..", "org.HdrHistogram..")
                .because("the boot jar carries only the bootstrap module, jackson-core and HdrHistogram")
                .check(ALL);
    }

    @Test
    void bootstrapNeverReachesTheAgentTheToolsOrTheirLibraries() {
        noClasses().that().resideInAPackage("dev.daxaudit.core..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.daxaudit.agent..", "dev.daxaudit.tools..",
                        "org.objectweb.asm..", "picocli..", "com.fasterxml.jackson.databind..",
                        "me.tongfei.progressbar..", "com.networknt..")
                .check(ALL);
    }

    @Test
    void toolsNeverReachTheHooksOrTheAgent() {
        noClasses().that().resideInAPackage("dev.daxaudit.tools..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.daxaudit.core.hooks..",
                        "dev.daxaudit.agent..", "org.objectweb.asm..")
                .because("the command line runs outside the audited JVM")
                .check(ALL);
    }

    @Test
    void theAgentNeverReachesTheTools() {
        noClasses().that().resideInAPackage("dev.daxaudit.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.daxaudit.tools..", "picocli..",
                        "com.fasterxml.jackson.databind..", "com.networknt..")
                .because("the audited JVM loads neither the command line nor the report renderers")
                .check(ALL);
    }

    @Test
    void onlyTheAgentUsesByteCodeTools() {
        noClasses().that().resideOutsideOfPackage("dev.daxaudit.agent..")
                .should().dependOnClassesThat().resideInAPackage("org.objectweb.asm..")
                .check(ALL);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.daxaudit.(**)").should().beFreeOfCycles().check(ALL);
    }
}
