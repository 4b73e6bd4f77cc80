package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Requests and limits of the etcd container. A Kubernetes ResourceRequirements would do, but its
 * schema takes any string as a quantity, and the StatefulSet it went into was then refused on
 * every pass; here the schema refuses what the API server would.
 */
@ValidationRule(value = ContainerResources.REQUESTS_WITHIN_LIMITS,
    message = "spec.resources.requests of cpu or memory may not exceed spec.resources.limits of the same "
        + "resource: raise the limit or lower the request",
    reason = "FieldValueInvalid")
public class ContainerResources {

  static final String RESOURCE_NAME = "k in ['cpu', 'memory', 'ephemeral-storage'] || k.startsWith('hugepages-')"
      + " || k.contains('/')";
  static final String QUANTITIES = "self.all(k, isQuantity(string(self[k])))";
  /** cpu and memory only: a rule over every key of both maps costs more than the API server allows. */
  static final String REQUESTS_WITHIN_LIMITS = "!has(self.requests) || !has(self.limits) || ['cpu', 'memory'].all(r, "
      + "!(r in self.requests) || !(r in self.limits) || !isQuantity(string(self.requests[r])) "
      + "|| !isQuantity(string(self.limits[r])) "
      + "|| quantity(string(self.requests[r])).compareTo(quantity(string(self.limits[r]))) <= 0)";
  /** As many resources as a container needs; the bound keeps each rule within the API server's cost budget. */
  private static final int MAX_RESOURCES = 8;

  @JsonPropertyDescription("Resources the etcd container is guaranteed, e.g. {cpu: 500m, memory: 1Gi}.")
  @ValidationRule(value = QUANTITIES, message = "spec.resources.requests: each value must be a Kubernetes "
      + "quantity, e.g. 500m or 2 for cpu, 1Gi or 512Mi for memory")
  @ValidationRule(value = "self.all(k, " + RESOURCE_NAME + ")", message = "spec.resources.requests: keys are "
      + "cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource")
  @Size(max = MAX_RESOURCES)
  private Map<String, Quantity> requests;

  @JsonPropertyDescription("Most the etcd container may use, e.g. {memory: 2Gi}.")
  @ValidationRule(value = QUANTITIES, message = "spec.resources.limits: each value must be a Kubernetes "
      + "quantity, e.g. 500m or 2 for cpu, 1Gi or 512Mi for memory")
  @ValidationRule(value = "self.all(k, " + RESOURCE_NAME + ")", message = "spec.resources.limits: keys are "
      + "cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource")
  @Size(max = MAX_RESOURCES)
  private Map<String, Quantity> limits;

  public Map<String, Quantity> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, Quantity> requests) {
    this.requests = requests;
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }
}
