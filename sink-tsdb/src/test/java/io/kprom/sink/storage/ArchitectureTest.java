package io.kprom.sink.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package boundaries of the sink: RocksDB stays inside the storage package, Kafka outside of it. */
class ArchitectureTest {
    private static final JavaClasses SINK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kprom.sink");

    @Test
    void onlyTheStoragePackageImportsRocksDb() {
        noClasses().that().resideOutsideOfPackage("io.kprom.sink.storage..")
                .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
                .because("the RocksDB key layout is private to io.kprom.sink.storage (docs/format.md)")
                .check(SINK);
    }

    @Test
    void storageDoesNotDependOnKafkaOrTheHttpApi() {
        noClasses().that().resideInAPackage("io.kprom.sink.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.kprom.sink.api..",
                        "io.kprom.sink.ingest..", "org.eclipse.jetty..")
                .check(SINK);
    }
}
