package dev.genpipe.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The worker's boundaries: it never reaches into the API, and the Gemini and cache features stand alone. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.genpipe.worker");

    @Test
    void workerNeverDependsOnTheApi() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.genpipe.api..").check(classes);
    }

    @Test
    void geminiAndCacheDoNotKnowHowJobsAreConsumed() {
        noClasses().that().resideInAnyPackage("dev.genpipe.worker.gemini..", "dev.genpipe.worker.cache..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.worker.processing..").check(classes);
    }

    @Test
    void geminiAndCacheAreIndependent() {
        noClasses().that().resideInAPackage("dev.genpipe.worker.gemini..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.worker.cache..").check(classes);
        noClasses().that().resideInAPackage("dev.genpipe.worker.cache..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.worker.gemini..").check(classes);
    }
}
