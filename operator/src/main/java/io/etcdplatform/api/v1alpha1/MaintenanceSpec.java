package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Compaction and defragmentation, with defaults that suit a production cluster. */
public class MaintenanceSpec {

  @JsonPropertyDescription("History compaction driven by the operator. Skipped while spec.etcd.autoCompaction is set (etcd then compacts by itself).")
  @Default("{}")
  private CompactionSpec compaction = new CompactionSpec();

  @JsonPropertyDescription("Rule-driven defragmentation, one member at a time, followers first and the leader last.")
  @Default("{}")
  private DefragmentationSpec defragmentation = new DefragmentationSpec();

  public CompactionSpec getCompaction() {
    return compaction;
  }

  public void setCompaction(CompactionSpec compaction) {
    this.compaction = compaction;
  }

  public DefragmentationSpec getDefragmentation() {
    return defragmentation;
  }

  public void setDefragmentation(DefragmentationSpec defragmentation) {
    this.defragmentation = defragmentation;
  }
}
