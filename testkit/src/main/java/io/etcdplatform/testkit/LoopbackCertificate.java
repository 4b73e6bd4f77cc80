package io.etcdplatform.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's keytool, written as a server expects
 * it (public.crt, private.key in PEM), and trusted by this JVM (its default SSL context, and the trust store properties).
 */
final class LoopbackCertificate {

  private static final String PASSWORD = "etcd-platform-test";

  private LoopbackCertificate() {}

  /** @return the directory holding public.crt and private.key */
  static Path create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path server = dir.resolve("server.p12");
    Path trust = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD);
    try (InputStream in = Files.newInputStream(server); OutputStream out = Files.newOutputStream(trust)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      Certificate certificate = keys.getCertificate("server");
      PrivateKey key = (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
      Files.writeString(dir.resolve("private.key"), pem("PRIVATE KEY", key.getEncoded()));
      Files.writeString(dir.resolve("public.crt"), pem("CERTIFICATE", certificate.getEncoded()));

      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("server", certificate);
      trusted.store(out, PASSWORD.toCharArray());
      TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      managers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, managers.getTrustManagers(), null);
      SSLContext.setDefault(context);
      HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
      // what the AWS SDK's clients read when they make their own trust managers
      System.setProperty("javax.net.ssl.trustStore", trust.toString());
      System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
    return dir;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
