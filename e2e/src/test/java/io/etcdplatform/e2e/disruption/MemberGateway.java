package io.etcdplatform.e2e.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One member's own answers through etcd's JSON gateway on its client URL ({@code POST /v3/...}),
 * independent of the operator's jetcd connection. Every call opens a connection of its own and
 * resolves the member's name again: a member whose pod was re-created has a new address.
 */
final class MemberGateway {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration deadline;

  MemberGateway(Duration deadline) {
    this.deadline = deadline;
  }

  /** What the member at {@code clientUrl} says of itself: its ID, its leader's, whether it is a learner. */
  Reply status(String clientUrl) {
    try {
      JsonNode status = post(clientUrl, "/v3/maintenance/status", "{}");
      return Reply.answered(new Status(status.path("header").path("member_id").asText(),
          status.path("leader").asText("0"), status.path("isLearner").asBoolean(false)));
    } catch (SocketTimeoutException e) {
      return Reply.TIMED_OUT;
    } catch (IOException | RuntimeException e) {
      return Reply.REFUSED;
    }
  }

  /** The voting members (not learners) the member at {@code clientUrl} lists, by ID with their names. */
  List<Voter> voters(String clientUrl) throws IOException {
    JsonNode list = post(clientUrl, "/v3/cluster/member/list", "{\"linearizable\":false}");
    List<Voter> voters = new ArrayList<>();
    for (JsonNode member : list.path("members")) {
      if (!member.path("isLearner").asBoolean(false)) {
        voters.add(new Voter(member.path("ID").asText(), member.path("name").asText()));
      }
    }
    return voters;
  }

  private JsonNode post(String clientUrl, String path, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(clientUrl + path).toURL().openConnection();
    try {
      connection.setConnectTimeout((int) deadline.toMillis());
      connection.setReadTimeout((int) deadline.toMillis());
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Connection", "close"); // never a pooled connection to an old address
      connection.setRequestProperty("Content-Type", "application/json");
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      try (InputStream in = connection.getInputStream()) {
        return JSON.readTree(in);
      }
    } finally {
      connection.disconnect();
    }
  }

  /** A member's status as it reports it; IDs as etcd's gateway writes them (decimal strings). */
  record Status(String memberId, String leaderId, boolean learner) {}

  /** A voting member of the member list. */
  record Voter(String id, String name) {}

  /** The status, or why there is none: the call timed out (the monitor cannot tell) or failed. */
  record Reply(Status status, boolean timedOut) {

    static final Reply TIMED_OUT = new Reply(null, true);
    static final Reply REFUSED = new Reply(null, false);

    static Reply answered(Status status) {
      return new Reply(status, false);
    }
  }
}
