package dev.sluice.dialects.redshift;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay that lets the Amazon Redshift JDBC driver talk to a real PostgreSQL: it
 * answers the driver's SSL request with "no", removes the startup parameters only Redshift knows
 * (PostgreSQL refuses a session with unknown ones), and then relays bytes unchanged both ways.
 */
public final class StartupParameterShim implements Closeable {
  /** The startup parameters the Redshift driver sends that PostgreSQL 16 rejects. */
  static final Set<String> REDSHIFT_ONLY_PARAMETERS =
      Set.of("driver_version", "os_version", "client_protocol_version");

  private static final int PROTOCOL_3 = 196608;
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_ENCRYPTION_REQUEST = 80877104;

  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> removed = new CopyOnWriteArrayList<>();

  private StartupParameterShim(InetSocketAddress upstream, ServerSocket listener) {
    this.upstream = upstream;
    this.listener = listener;
  }

  /** Listens on 127.0.0.1 on a free port and relays every connection to {@code upstream}. */
  public static StartupParameterShim start(InetSocketAddress upstream) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    StartupParameterShim shim = new StartupParameterShim(upstream, listener);
    Thread acceptor = new Thread(shim::acceptLoop, "startup-parameter-shim");
    acceptor.setDaemon(true);
    acceptor.start();
    return shim;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The parameters removed from each startup message so far, to show the shim did its job. */
  public List<Map<String, String>> removedParameters() {
    return List.copyOf(removed);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        daemon(() -> relay(client), "shim-startup");
      } catch (IOException e) {
        // The listener was closed: the shim is shutting down.
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      byte[] startup = readStartup(in, toClient);
      try (Socket server = new Socket(upstream.getAddress(), upstream.getPort())) {
        sockets.add(server);
        server.getOutputStream().write(startup);
        server.getOutputStream().flush();
        Thread fromServer = daemon(() -> pipe(server, client), "shim-server-to-client");
        pipe(client, server);
        fromServer.join();
      }
    } catch (IOException | InterruptedException e) {
      // A connection ending (client closed, server closed, shim closed) ends its relay.
    }
  }

  /** Reads up to the startup (or cancel) message, refusing SSL, and returns it rewritten. */
  private byte[] readStartup(DataInputStream in, OutputStream toClient) throws IOException {
    while (true) {
      int length = in.readInt();
      byte[] body = new byte[length - 4];
      in.readFully(body);
      int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
      if (code == SSL_REQUEST || code == GSS_ENCRYPTION_REQUEST) {
        toClient.write('N');
        toClient.flush();
        continue;
      }
      if (code != PROTOCOL_3) {
        // A CancelRequest (or anything else): pass through untouched.
        return message(body);
      }
      return message(rewrite(body));
    }
  }

  private byte[] rewrite(byte[] body) {
    Map<String, String> kept = new LinkedHashMap<>();
    Map<String, String> dropped = new LinkedHashMap<>();
    List<String> strings = new ArrayList<>();
    int start = 4;
    for (int i = 4; i < body.length; i++) {
      if (body[i] == 0) {
        strings.add(new String(body, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    // Pairs, then one empty string terminating the list.
    for (int i = 0; i + 1 < strings.size(); i += 2) {
      String key = strings.get(i);
      (REDSHIFT_ONLY_PARAMETERS.contains(key) ? dropped : kept).put(key, strings.get(i + 1));
    }
    removed.add(dropped);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(body, 0, 4);
    kept.forEach((key, value) -> {
      out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    });
    out.write(0);
    return out.toByteArray();
  }

  private static byte[] message(byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 4);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(body.length + 4);
    out.write(body);
    return bytes.toByteArray();
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16384];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // One side went away; the other side's pipe ends on its own.
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
