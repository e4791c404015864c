package io.kprom.scraper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** Package boundaries of the scraper (house rule 3). */
class PackageBoundariesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            // Build directories are named per developer (target-*), so match test classes by folder name.
            .withImportOption(location -> !location.contains("/test-classes/")).importPackages("io.kprom.scraper");

    @Test
    void onlyTheKafkaPackageUsesKafkaClients() {
        noClasses().that().resideOutsideOfPackage("io.kprom.scraper.kafka..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.clients..")
                .check(CLASSES);
    }

    @Test
    void onlyKubernetesDiscoveryUsesFabric8() {
        noClasses().that().resideOutsideOfPackage("io.kprom.scraper.discovery.kubernetes..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .check(CLASSES);
    }

    @Test
    void parsersDependOnNothingButSchemas() {
        noClasses().that().resideInAPackage("io.kprom.scraper.parse..")
                .should().dependOnClassesThat().resideInAnyPackage("io.kprom.scraper.scrape..", "io.kprom.scraper.kafka..",
                        "okhttp3..", "org.eclipse.jetty..", "org.apache.kafka..")
                .check(CLASSES);
    }
}
