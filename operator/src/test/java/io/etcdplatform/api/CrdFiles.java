package io.etcdplatform.api;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the CRD YAML from the model (the build's process-test-classes phase, into target/crds).
 * fabric8's generator sorts printer columns by JSON path; kubectl shows them in the order the
 * model declares them (Ready, Version, Leader, Phase, Age), which this restores.
 */
public final class CrdFiles {

  static final List<Class<? extends HasMetadata>> RESOURCES = List.of(EtcdCluster.class, EtcdBackup.class);

  private CrdFiles() {}

  public static void main(String[] args) throws IOException {
    File outputDir = Files.createDirectories(Path.of(args[0])).toFile();
    new CRDGenerator()
        .customResourceClasses(RESOURCES)
        .forCRDVersions("v1")
        .withPostProcessor(new ColumnsInDeclaredOrder())
        .inOutputDir(outputDir)
        .generate();
  }

  private static final class ColumnsInDeclaredOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata generated, String crdSpecVersion) {
      var crd = (CustomResourceDefinition) generated;
      List<String> declared = RESOURCES.stream()
          .filter(type -> HasMetadata.getKind(type).equals(crd.getSpec().getNames().getKind()))
          .flatMap(type -> Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class)))
          .map(AdditionalPrinterColumn::name)
          .toList();
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
        if (columns != null) {
          columns.sort(Comparator.comparingInt(column -> position(declared, column.getName())));
        }
      }
      return crd;
    }

    private static int position(List<String> declared, String name) {
      int index = declared.indexOf(name);
      return index < 0 ? declared.size() : index;
    }
  }
}
