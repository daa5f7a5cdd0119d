import io.openvidu.java.client.Connection;
import io.openvidu.java.client.ConnectionProperties;
import io.openvidu.java.client.ConnectionType;
import io.openvidu.java.client.KurentoOptions;
import io.openvidu.java.client.MediaMode;
import io.openvidu.java.client.OpenVidu;
import io.openvidu.java.client.OpenViduHttpException;
import io.openvidu.java.client.OpenViduRole;
import io.openvidu.java.client.Recording;
import io.openvidu.java.client.RecordingMode;
import io.openvidu.java.client.RecordingProperties;
import io.openvidu.java.client.Session;
import io.openvidu.java.client.SessionProperties;
import io.openvidu.java.client.VideoCodec;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Drives the live port with openvidu-java-client, as a Java application would, and prints one JSON line per command
 * for the test to check. Throws (exit code 1) when the client throws or a result is not what OpenVidu answers.
 *
 * api URL SECRET                                  sessions and connections
 * record URL SECRET CAMERA MODE END SECONDS OUT   an IPCAM publisher recorded (COMPOSED or INDIVIDUAL) for SECONDS,
 *                                                 ended by END (stop or close); OUT receives the downloaded files
 * broadcast-start URL SECRET CAMERA RTMP          a session with an IPCAM publisher broadcast to RTMP
 * broadcast-stop URL SECRET SESSION               its broadcast stopped
 */
public class OpenViduJavaClientCheck {
  static void check(boolean ok, String what) {
    if (!ok) throw new IllegalStateException("check failed: " + what);
  }

  static int statusOf(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof OpenViduHttpException) return ((OpenViduHttpException) e.getCause()).getStatus();
      throw e;
    }
  }

  interface Call {
    void run() throws Exception;
  }

  static Runnable wrap(Call call) {
    return () -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    };
  }

  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) throws Exception {
    OpenVidu ov = new OpenVidu(args[1], args[2]);
    switch (args[0]) {
      case "api" -> api(ov, args[1], args[2]);
      case "record" -> record(ov, args[1], args[2], args[3], Recording.OutputMode.valueOf(args[4]), args[5], Double.parseDouble(args[6]), Path.of(args[7]));
      case "broadcast-start" -> broadcastStart(ov, args[3], args[4]);
      case "broadcast-stop" -> broadcastStop(ov, args[3]);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static void api(OpenVidu ov, String url, String secret) throws Exception {
    List<String> done = new ArrayList<>();
    Session plain = ov.createSession();
    check(plain.getSessionId() != null && !plain.getSessionId().isEmpty(), "createSession() gives an id");
    done.add("createSession()");

    SessionProperties properties = new SessionProperties.Builder()
        .customSessionId("java-room")
        .mediaMode(MediaMode.ROUTED)
        .recordingMode(RecordingMode.MANUAL)
        .forcedVideoCodec(VideoCodec.VP8)
        .defaultRecordingProperties(new RecordingProperties.Builder().name("java-default").outputMode(Recording.OutputMode.INDIVIDUAL).build())
        .build();
    Session room = ov.createSession(properties);
    check(room.getSessionId().equals("java-room"), "custom id");
    Session again = ov.createSession(properties);
    check(again.getSessionId().equals("java-room"), "a duplicate id gives the existing session");
    done.add("createSession(customSessionId) twice");

    Connection publisher = room.createConnection(new ConnectionProperties.Builder()
        .type(ConnectionType.WEBRTC).role(OpenViduRole.PUBLISHER).data("java-data").record(true)
        .kurentoOptions(new KurentoOptions.Builder().videoMaxRecvBandwidth(600).allowedFilters(new String[] {"GStreamerFilter"}).build())
        .build());
    check(publisher.getToken().startsWith("ws"), "token " + publisher.getToken());
    check(publisher.getServerData().equals("java-data"), "serverData");
    check(publisher.getRole() == OpenViduRole.PUBLISHER, "role");
    Connection plainConnection = room.createConnection();
    check(plainConnection.getStatus().equals("pending"), "pending connection");
    done.add("createConnection");

    Connection updated = room.updateConnection(publisher.getConnectionId(), new ConnectionProperties.Builder().role(OpenViduRole.MODERATOR).record(false).build());
    check(updated.getRole() == OpenViduRole.MODERATOR && !updated.record(), "updateConnection");
    done.add("updateConnection");

    check(room.fetch() || !room.fetch(), "fetch");
    check(room.getConnections().size() == 2, "connections after fetch: " + room.getConnections().size());
    check(room.getActiveConnections().isEmpty(), "no active connection");
    check(room.getConnection(publisher.getConnectionId()) != null, "getConnection");
    ov.fetch();
    check(ov.getActiveSessions().stream().anyMatch(s -> s.getSessionId().equals("java-room")), "getActiveSessions");
    check(ov.getActiveSession("java-room") != null, "getActiveSession");
    done.add("fetch");

    room.forceDisconnect(plainConnection.getConnectionId());
    room.fetch();
    check(room.getConnections().size() == 1, "forceDisconnect of a pending connection");
    done.add("forceDisconnect");

    check(statusOf(wrap(() -> room.forceUnpublish("str_CAM_none_con_none"))) == 404, "forceUnpublish unknown stream: 404");
    check(statusOf(wrap(() -> ov.startRecording("java-room"))) == 406, "startRecording with nobody connected: 406");
    check(statusOf(wrap(() -> ov.stopRecording("nope"))) == 404, "stopRecording unknown: 404");
    check(statusOf(wrap(() -> ov.getRecording("nope"))) == 404, "getRecording unknown: 404");
    check(statusOf(wrap(() -> ov.deleteRecording("nope"))) == 404, "deleteRecording unknown: 404");
    check(ov.listRecordings() != null, "listRecordings");
    done.add("recording errors");

    room.close();
    check(ov.getActiveSession("java-room") == null, "closed session gone");
    Session recreated = ov.createSession(properties);
    check(recreated.getSessionId().equals("java-room"), "re-creating a closed id");
    recreated.close();
    plain.close();
    done.add("close and re-create");

    // The JDK's own HTTP client asks for h2c by default
    HttpClient jdk = HttpClient.newHttpClient();
    String auth = "Basic " + Base64.getEncoder().encodeToString(("OPENVIDUAPP:" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> config = jdk.send(HttpRequest.newBuilder(URI.create(url + "/openvidu/api/config")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
    check(config.statusCode() == 200 && config.body().contains("\"VERSION\""), "JDK HttpClient GET /openvidu/api/config: " + config.statusCode());
    done.add("JDK HttpClient");

    System.out.println("{\"ok\":true,\"done\":[" + String.join(",", done.stream().map(OpenViduJavaClientCheck::json).toList()) + "]}");
  }

  static void broadcastStart(OpenVidu ov, String camera, String rtmp) throws Exception {
    Session session = ov.createSession(new SessionProperties.Builder().customSessionId("java-broadcast").build());
    session.createConnection(new ConnectionProperties.Builder().type(ConnectionType.IPCAM).rtspUri(camera).build());
    check(statusOf(wrap(() -> ov.stopBroadcast("java-broadcast"))) == 409, "stopBroadcast before any start: 409");
    ov.startBroadcast("java-broadcast", rtmp, new RecordingProperties.Builder().resolution("640x360").frameRate(25).build());
    check(statusOf(wrap(() -> ov.startBroadcast("java-broadcast", rtmp))) == 409, "a second startBroadcast: 409");
    session.fetch();
    check(session.isBeingBroadcasted(), "isBeingBroadcasted after start");
    System.out.println("{\"session\":" + json(session.getSessionId()) + "}");
  }

  static void broadcastStop(OpenVidu ov, String sessionId) throws Exception {
    ov.stopBroadcast(sessionId);
    ov.fetch();
    Session session = ov.getActiveSession(sessionId);
    check(!session.isBeingBroadcasted(), "not broadcasted after stop");
    session.close();
    System.out.println("{\"stopped\":true}");
  }

  static void record(OpenVidu ov, String url, String secret, String camera, Recording.OutputMode mode, String end, double seconds, Path out) throws Exception {
    String id = "java-" + mode.name().toLowerCase() + "-" + end;
    Session session = ov.createSession(new SessionProperties.Builder().customSessionId(id)
        .build());
    Connection cam = session.createConnection(new ConnectionProperties.Builder().type(ConnectionType.IPCAM).rtspUri(camera).data("camera").build());
    check(cam.getStatus().equals("active") && cam.getPublishers().size() == 1, "IPCAM connection publishing");
    long startCalledAt = System.currentTimeMillis();
    // The client sends every property, name "" (the session's default name) included
    Recording started = ov.startRecording(id, new RecordingProperties.Builder().outputMode(mode).resolution("640x480").frameRate(15).build());
    long startedAt = System.currentTimeMillis();
    check(started.getStatus() == Recording.Status.started, "started: " + started.getStatus());
    check(started.getName().equals(id), "default name is the id: " + started.getName());
    Thread.sleep((long) (seconds * 1000));
    long endedAt;
    if (end.equals("stop")) {
      Recording stopped = ov.stopRecording(started.getId());
      endedAt = System.currentTimeMillis();
      check(stopped.getStatus() == Recording.Status.stopped, "stopped: " + stopped.getStatus());
      session.close();
    } else {
      session.close();
      endedAt = System.currentTimeMillis();
    }
    Recording ready = ov.getRecording(started.getId());
    while (ready.getStatus() != Recording.Status.ready && ready.getStatus() != Recording.Status.failed) {
      Thread.sleep(300);
      ready = ov.getRecording(started.getId());
    }
    check(ready.getStatus() == Recording.Status.ready, "ready: " + ready.getStatus());
    Files.createDirectories(out);
    HttpClient http = HttpClient.newHttpClient();
    String auth = "Basic " + Base64.getEncoder().encodeToString(("OPENVIDUAPP:" + secret).getBytes(StandardCharsets.UTF_8));
    Path file = out.resolve(ready.getUrl().substring(ready.getUrl().lastIndexOf('/') + 1));
    HttpResponse<Path> download = http.send(HttpRequest.newBuilder(URI.create(ready.getUrl())).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofFile(file));
    check(download.statusCode() == 200, "download " + download.statusCode());
    check(ready.getSize() == Files.size(file), "size " + ready.getSize() + " is the file's " + Files.size(file));
    List<String> files = new ArrayList<>();
    if (mode == Recording.OutputMode.INDIVIDUAL) {
      try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          Path target = out.resolve(entry.getName());
          Files.copy(zip, target);
          files.add(target.toString());
        }
      }
    } else {
      files.add(file.toString());
    }
    System.out.println("{\"id\":" + json(ready.getId()) + ",\"name\":" + json(ready.getName()) + ",\"size\":" + ready.getSize() + ",\"duration\":" + ready.getDuration()
        + ",\"url\":" + json(ready.getUrl()) + ",\"sinceStartCall\":" + (endedAt - startCalledAt) / 1000.0 + ",\"sinceStarted\":" + (endedAt - startedAt) / 1000.0 + ",\"files\":[" + String.join(",", files.stream().map(OpenViduJavaClientCheck::json).toList()) + "]}");
  }
}
