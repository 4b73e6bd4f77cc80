package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** What a person may add to every member pod. The operator's own labels always win. */
public class PodTemplate {

  @JsonPropertyDescription("Labels added to every member pod. Keys under app.kubernetes.io/ are reserved for the operator.")
  @ValidationRule(value = "self.all(k, !k.startsWith('app.kubernetes.io/'))",
      message = "spec.podTemplate.labels: keys under app.kubernetes.io/ are set by the operator; use another prefix")
  @Size(max = 64)
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations added to every member pod.")
  private Map<String, String> annotations;

  @JsonPropertyDescription("Affinity of member pods. When unset, members prefer different nodes (soft anti-affinity on kubernetes.io/hostname).")
  private Affinity affinity;

  @JsonPropertyDescription("Tolerations of member pods.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Node selector of member pods.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Topology spread constraints of member pods.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription("PriorityClass of member pods (e.g. system-cluster-critical).")
  private String priorityClassName;

  @JsonPropertyDescription("Secrets in the cluster's namespace to pull images from a private registry with: the etcd image of the members, and the operator's image, which the restore init containers and the Jobs of backups to a claim run.")
  private List<LocalObjectReference> imagePullSecrets;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }
}
