package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The last keyspace inspection: how many keys, under which prefixes. */
public class KeyspaceStatus {

  @JsonPropertyDescription("When the inspection finished (RFC 3339).")
  private String measuredAt;

  @JsonPropertyDescription("The member read from (a follower, never the leader).")
  private String member;

  @JsonPropertyDescription("The revision every page was read at.")
  private Long revision;

  @JsonPropertyDescription("Keys counted.")
  private Long totalKeys;

  @JsonPropertyDescription("True when a budget (spec.insight.keyspace.maxKeys or maxSeconds) ended the inspection "
      + "before the last key: the counts are a lower bound.")
  private Boolean partial;

  @JsonPropertyDescription("Which budget ended a partial inspection.")
  private String stoppedBy;

  @JsonPropertyDescription("The prefixes with the most keys, the largest first.")
  private List<Prefix> prefixes;

  @JsonPropertyDescription("The etcdplatform.io/inspect-keyspace value this inspection answered, when asked for.")
  private String request;

  /** One prefix's share of the keyspace. */
  public static class Prefix {

    @JsonPropertyDescription("The prefix, e.g. /registry/pods/shop/.")
    private String prefix;

    @JsonPropertyDescription("Keys under it.")
    private Long keys;

    @JsonPropertyDescription("Bytes of those keys' names (values are not read).")
    private Long keyBytes;

    public Prefix() {}

    public Prefix(String prefix, Long keys, Long keyBytes) {
      this.prefix = prefix;
      this.keys = keys;
      this.keyBytes = keyBytes;
    }

    public String getPrefix() {
      return prefix;
    }

    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    public Long getKeys() {
      return keys;
    }

    public void setKeys(Long keys) {
      this.keys = keys;
    }

    public Long getKeyBytes() {
      return keyBytes;
    }

    public void setKeyBytes(Long keyBytes) {
      this.keyBytes = keyBytes;
    }
  }

  public String getMeasuredAt() {
    return measuredAt;
  }

  public void setMeasuredAt(String measuredAt) {
    this.measuredAt = measuredAt;
  }

  public String getMember() {
    return member;
  }

  public void setMember(String member) {
    this.member = member;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public Long getTotalKeys() {
    return totalKeys;
  }

  public void setTotalKeys(Long totalKeys) {
    this.totalKeys = totalKeys;
  }

  public Boolean getPartial() {
    return partial;
  }

  public void setPartial(Boolean partial) {
    this.partial = partial;
  }

  public String getStoppedBy() {
    return stoppedBy;
  }

  public void setStoppedBy(String stoppedBy) {
    this.stoppedBy = stoppedBy;
  }

  public List<Prefix> getPrefixes() {
    return prefixes;
  }

  public void setPrefixes(List<Prefix> prefixes) {
    this.prefixes = prefixes;
  }

  public String getRequest() {
    return request;
  }

  public void setRequest(String request) {
    this.request = request;
  }
}
