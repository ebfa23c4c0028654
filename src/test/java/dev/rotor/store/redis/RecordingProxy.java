package dev.rotor.store.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A loopback TCP proxy to Redis that records every byte clients send: what a sniffer or proxy log would see. */
final class RecordingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    RecordingProxy(int redisPort) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                    pump(client.getInputStream(), upstream.getOutputStream(), true);
                    pump(upstream.getInputStream(), client.getOutputStream(), false);
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String sent() {
        synchronized (sent) {
            return sent.toString(StandardCharsets.UTF_8);
        }
    }

    private void pump(InputStream in, OutputStream out, boolean record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in; out) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (record) {
                        synchronized (sent) {
                            sent.write(buffer, 0, n);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
