package io.etcdplatform.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a member serves on a TLS port, read from a handshake: only its serial is used,
 * to tell whether the member serves what its Secret holds now. The server's certificate arrives
 * before the client must show one, so no client certificate is needed and nothing is trusted or sent.
 */
public final class ServedCertificate {

  private ServedCertificate() {}

  /** The serial of the leaf {@code host:port} serves; empty when it does not answer within {@code timeout}. */
  public static Optional<BigInteger> serial(String host, int port, Duration timeout) {
    AtomicReference<X509Certificate> served = new AtomicReference<>();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Recording(served)}, new SecureRandom());
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        plain.setSoTimeout((int) timeout.toMillis());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
          socket.startHandshake();
        } catch (IOException refusedAfterwards) {
          // the member refuses a client without a certificate once it has shown its own
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(served.get()).map(X509Certificate::getSerialNumber);
  }

  private record Recording(AtomicReference<X509Certificate> served) implements X509TrustManager {

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      if (chain.length > 0) {
        served.set(chain[0]);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
