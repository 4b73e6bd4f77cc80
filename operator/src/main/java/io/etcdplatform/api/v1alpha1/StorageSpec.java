package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(
    value = "quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
    messageExpression = "'spec.storage.size cannot shrink (PersistentVolumeClaims only grow): set it to ' + oldSelf.size + ' or more'",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message = "spec.storage.storageClassName is immutable: restore its previous value, or restore a backup into a new EtcdCluster to move storage classes",
    reason = "FieldValueForbidden")
public class StorageSpec {

  @JsonPropertyDescription("Size of each member's PersistentVolumeClaim, a Kubernetes quantity such as 8Gi. May grow, never shrink.")
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  @Size(max = 32)
  @Default("8Gi")
  private String size = "8Gi";

  @JsonPropertyDescription("StorageClass of the PersistentVolumeClaims; the cluster default when unset. Immutable.")
  @Size(max = 253)
  private String storageClassName;

  @JsonPropertyDescription("What happens to the PersistentVolumeClaims when the EtcdCluster is deleted: Retain (default, data kept) or Delete.")
  @Default("Retain")
  private RetentionPolicy retentionPolicyOnDelete = RetentionPolicy.Retain;

  public enum RetentionPolicy {
    Retain, Delete
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public RetentionPolicy getRetentionPolicyOnDelete() {
    return retentionPolicyOnDelete;
  }

  public void setRetentionPolicyOnDelete(RetentionPolicy retentionPolicyOnDelete) {
    this.retentionPolicyOnDelete = retentionPolicyOnDelete;
  }
}
