package io.etcdplatform.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A snapshot of one EtcdCluster, taken once, stored in S3 or a PVC. */
@Group(EtcdCluster.GROUP)
@Version(EtcdCluster.VERSION)
@ShortNames("eb")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.clusterName")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.sizeBytes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Verified", jsonPath = ".status.verification.phase")
@AdditionalPrinterColumn(name = "Location", jsonPath = ".status.location", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message")
public class EtcdBackup extends CustomResource<EtcdBackupSpec, EtcdBackupStatus>
    implements Namespaced {

  /** A new value asks for one restore drill of the backup (docs/operations.md). */
  public static final String VERIFY_ANNOTATION = "etcdplatform.io/verify";
}
