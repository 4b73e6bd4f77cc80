package io.etcdplatform.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An etcd cluster the operator runs: one StatefulSet pod per member. Its name is the prefix of every
 * owned object's name, so it is held to what all of them can carry.
 */
@Group(EtcdCluster.GROUP)
@Version(EtcdCluster.VERSION)
@ShortNames("ec")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version")
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Revision Spread", jsonPath = ".status.revisionSpread", priority = 1,
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Backup", jsonPath = ".status.lastBackup.completionTime", priority = 1,
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "self.metadata.name.size() <= " + EtcdCluster.MAX_NAME_LENGTH,
    message = "metadata.name may have at most " + EtcdCluster.MAX_NAME_LENGTH + " characters: the StatefulSet's "
        + "pods carry the label controller-revision-hash=<name>-<10-character hash>, which must fit 63; "
        + "choose a shorter name")
@ValidationRule(value = "self.metadata.name.matches('" + EtcdCluster.NAME_PATTERN + "')",
    message = "metadata.name must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter "
        + "and ending with a letter or digit, no '.'): it names the cluster's Services; choose such a name")
public class EtcdCluster extends CustomResource<EtcdClusterSpec, EtcdClusterStatus>
    implements Namespaced {

  /** A new value asks for one rolling defragmentation of every member (docs/operations.md). */
  public static final String DEFRAGMENT_ANNOTATION = "etcdplatform.io/defragment";
  /** A new value asks for a rotation of both planes' certificate authorities (docs/tls.md). */
  public static final String ROTATE_AUTHORITY_ANNOTATION = "etcdplatform.io/rotate-authority";

  public static final String GROUP = "etcdplatform.io";
  public static final String VERSION = "v1alpha1";
  /**
   * The longest name whose derived names all fit a 63-character label: the StatefulSet controller
   * labels each pod {@code controller-revision-hash=<name>-<10-character hash>}, the longest of them
   * ({@code ClusterNamesTest} checks every name {@code kube.ClusterNames} derives against it).
   */
  public static final int MAX_NAME_LENGTH = 63 - 11;
  /** A DNS-1035 label: Service names must be one, and each owned Service's name starts with the cluster's. */
  public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  @Override
  protected EtcdClusterSpec initSpec() {
    return new EtcdClusterSpec();
  }
}
