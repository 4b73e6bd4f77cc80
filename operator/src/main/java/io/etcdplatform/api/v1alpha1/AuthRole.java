package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A role: key prefixes it may read, write, or both. */
@ValidationRule(value = "self.name != 'root'",
    message = "spec.auth.roles[].name: root is etcd's own role (the operator grants it to root); choose another name",
    fieldPath = ".name", reason = "FieldValueForbidden")
@ValidationRule(value = "(!has(self.read) || self.read.all(p, size(p) > 0 && size(p) <= 256)) && (!has(self.write) || self.write.all(p, size(p) > 0 && size(p) <= 256)) && (!has(self.readWrite) || self.readWrite.all(p, size(p) > 0 && size(p) <= 256))",
    message = "spec.auth.roles[]: a prefix has 1 to 256 characters (the empty prefix is the whole keyspace, the root role's)",
    reason = "FieldValueInvalid")
public class AuthRole {

  @JsonPropertyDescription("The role's name in etcd.")
  @Required
  @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @Size(max = 64)
  private String name;

  @JsonPropertyDescription("Key prefixes the role may read (range, watch).")
  @Size(max = 32)
  private List<String> read = new ArrayList<>();

  @JsonPropertyDescription("Key prefixes the role may write (put, delete).")
  @Size(max = 32)
  private List<String> write = new ArrayList<>();

  @JsonPropertyDescription("Key prefixes the role may read and write.")
  @Size(max = 32)
  private List<String> readWrite = new ArrayList<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getRead() {
    return read;
  }

  public void setRead(List<String> read) {
    this.read = read == null ? new ArrayList<>() : read;
  }

  public List<String> getWrite() {
    return write;
  }

  public void setWrite(List<String> write) {
    this.write = write == null ? new ArrayList<>() : write;
  }

  public List<String> getReadWrite() {
    return readWrite;
  }

  public void setReadWrite(List<String> readWrite) {
    this.readWrite = readWrite == null ? new ArrayList<>() : readWrite;
  }
}
