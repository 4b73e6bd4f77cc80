package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class S3Destination {

  @JsonPropertyDescription("S3 endpoint URL, e.g. https://s3.eu-west-1.amazonaws.com or http://minio.storage.svc:9000.")
  @Required
  @Pattern("^https?://[^\\s/]+(/.*)?$")
  private String endpoint;

  @JsonPropertyDescription("Bucket name; it must exist.")
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  private String bucket;

  @JsonPropertyDescription("Key prefix; snapshots are stored as <prefix>/<cluster>/<backup name>.db.")
  @Default("")
  private String prefix = "";

  @JsonPropertyDescription("Region the requests are signed for.")
  @Default("us-east-1")
  private String region = "us-east-1";

  @JsonPropertyDescription("Path-style addressing (endpoint/bucket/key), which MinIO and most S3-compatible servers need.")
  @Default("false")
  private Boolean forcePathStyle = false;

  @JsonPropertyDescription("Secret in the same namespace holding the access key ID and secret access key.")
  @Required
  private CredentialsSecret credentialsSecret;

  public static class CredentialsSecret {

    @JsonPropertyDescription("Name of the Secret.")
    @Required
    private String name;

    @JsonPropertyDescription("Key of the access key ID in the Secret.")
    @Default("accessKeyId")
    private String accessKeyIdKey = "accessKeyId";

    @JsonPropertyDescription("Key of the secret access key in the Secret.")
    @Default("secretAccessKey")
    private String secretAccessKeyKey = "secretAccessKey";

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getAccessKeyIdKey() {
      return accessKeyIdKey;
    }

    public void setAccessKeyIdKey(String accessKeyIdKey) {
      this.accessKeyIdKey = accessKeyIdKey;
    }

    public String getSecretAccessKeyKey() {
      return secretAccessKeyKey;
    }

    public void setSecretAccessKeyKey(String secretAccessKeyKey) {
      this.secretAccessKeyKey = secretAccessKeyKey;
    }
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPrefix() {
    return prefix;
  }

  public void setPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getForcePathStyle() {
    return forcePathStyle;
  }

  public void setForcePathStyle(Boolean forcePathStyle) {
    this.forcePathStyle = forcePathStyle;
  }

  public CredentialsSecret getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(CredentialsSecret credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }
}
