package io.etcdplatform.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One key-range permission of an etcd role. Keys are bytes; they are held as ISO-8859-1 text (one
 * char per byte, so any byte string round-trips and records compare by content).
 */
public record EtcdPermission(Type type, String key, String rangeEnd) {

  public enum Type { READ, WRITE, READWRITE }

  /** The range of every key starting with {@code prefix} (UTF-8), as etcdctl's --prefix makes it. */
  public static EtcdPermission prefix(Type type, String prefix) {
    byte[] key = prefix.getBytes(StandardCharsets.UTF_8);
    return new EtcdPermission(type, latin1(key), latin1(prefixEnd(key)));
  }

  /** The first key after every key that starts with {@code key}: the last byte below 0xff incremented. */
  static byte[] prefixEnd(byte[] key) {
    byte[] end = Arrays.copyOf(key, key.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0}; // all 0xff: to the end of the keyspace
  }

  public byte[] keyBytes() {
    return key.getBytes(StandardCharsets.ISO_8859_1);
  }

  public byte[] rangeEndBytes() {
    return rangeEnd.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** How a person reads it: the key as UTF-8, and whether it is a prefix. */
  public String describe() {
    String start = new String(keyBytes(), StandardCharsets.UTF_8);
    boolean isPrefix = Arrays.equals(rangeEndBytes(), prefixEnd(keyBytes()));
    return type.name().toLowerCase(java.util.Locale.ROOT) + " " + start + (isPrefix ? "*" : rangeEnd.isEmpty() ? "" : ".." + rangeEnd);
  }
}
