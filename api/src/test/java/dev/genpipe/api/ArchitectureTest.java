package dev.genpipe.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module and feature boundaries of the api. */
class ArchitectureTest {

    static JavaClasses api;

    @BeforeAll
    static void importClasses() {
        api = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.genpipe.api");
    }

    @Test
    void apiNeverDependsOnTheWorker() {
        noClasses().that().resideInAPackage("dev.genpipe.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.worker..")
                .check(api);
    }

    @Test
    void jobStateDoesNotKnowTheHttpLayer() {
        noClasses().that().resideInAPackage("dev.genpipe.api.status..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.api.jobs..")
                .check(api);
    }

    @Test
    void configurationDoesNotReachIntoFeatures() {
        noClasses().that().resideInAPackage("dev.genpipe.api.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.genpipe.api.jobs..", "dev.genpipe.api.status..",
                        "dev.genpipe.api.pool..")
                .check(api);
    }

    @Test
    void theEdgeKnowsNoFeatureButItsClients() {
        noClasses().that().resideInAPackage("dev.genpipe.api.edge..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.genpipe.api.jobs..", "dev.genpipe.api.status..",
                        "dev.genpipe.api.pool..", "dev.genpipe.api.health..")
                .check(api);
    }

    @Test
    void jobsAndThePoolStayApart() {
        noClasses().that().resideInAPackage("dev.genpipe.api.pool..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.api.jobs..")
                .check(api);
        noClasses().that().resideInAPackage("dev.genpipe.api.jobs..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.api.pool..")
                .check(api);
    }

    @Test
    void stateStoresDoNotKnowThePoolsHttpLayer() {
        noClasses().that().resideInAPackage("dev.genpipe.api.status..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.api.pool..")
                .check(api);
    }

    @Test
    void webhooksDoNotKnowTheHttpLayer() {
        noClasses().that().resideInAPackage("dev.genpipe.api.webhooks..")
                .should().dependOnClassesThat().resideInAPackage("dev.genpipe.api.jobs..")
                .check(api);
    }
}
