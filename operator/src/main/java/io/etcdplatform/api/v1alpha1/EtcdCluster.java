package io.etcdplatform.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An etcd cluster the operator runs: one StatefulSet pod per member. */
@Group(EtcdCluster.GROUP)
@Version(EtcdCluster.VERSION)
@ShortNames("ec")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version")
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EtcdCluster extends CustomResource<EtcdClusterSpec, EtcdClusterStatus>
    implements Namespaced {

  public static final String GROUP = "etcdplatform.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected EtcdClusterSpec initSpec() {
    return new EtcdClusterSpec();
  }
}
