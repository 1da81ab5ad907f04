import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections to a proxy, sends one GET on each, reads each answer whole,
 * then holds them all open and idle until its standard input closes (bench/memory.sh measures
 * the proxy's memory meanwhile). One thread and one selector, so the load tool itself stays small.
 *
 *   java bench/HoldConnections.java HOST PORT PATH N
 */
public final class HoldConnections {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int count = Integer.parseInt(args[3]);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: hold-connections\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> open = new ArrayList<>(count);
        int answered = 0;
        try (Selector selector = Selector.open()) {
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            int started = 0;
            while (answered < count) {
                // At most 500 handshakes in flight, so the listener's backlog never overflows.
                while (started < count && started - answered < 500) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.connect(new InetSocketAddress(host, port));
                    channel.register(selector, SelectionKey.OP_CONNECT, new Answer());
                    open.add(channel);
                    started++;
                }
                if (selector.select(10_000) == 0) {
                    throw new IOException("no progress for 10 s: " + answered + " of " + count + " answered");
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    Answer answer = (Answer) key.attachment();
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        channel.write(ByteBuffer.wrap(request));
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        in.clear();
                        if (channel.read(in) < 0) {
                            throw new IOException("the proxy closed a connection before answering");
                        }
                        if (answer.read(in.flip())) {
                            if (!answer.ok()) {
                                throw new IOException("the proxy answered " + answer.statusLine());
                            }
                            key.interestOps(0);
                            answered++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            System.out.println("holding " + answered + " idle keep-alive connections");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the caller closes our input
            }
        } finally {
            for (SocketChannel channel : open) {
                channel.close();
            }
        }
    }

    /** One response, read until its body (Content-Length) is complete. */
    private static final class Answer {
        private final StringBuilder head = new StringBuilder();
        private long bodyLeft = -1;

        boolean read(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                if (bodyLeft >= 0) {
                    int take = (int) Math.min(bodyLeft, bytes.remaining());
                    bytes.position(bytes.position() + take);
                    bodyLeft -= take;
                    continue;
                }
                head.append((char) bytes.get());
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    bodyLeft = contentLength();
                }
            }
            return bodyLeft == 0;
        }

        boolean ok() {
            return statusLine().startsWith("HTTP/1.1 200");
        }

        String statusLine() {
            int end = head.indexOf("\r\n");
            return end < 0 ? head.toString() : head.substring(0, end);
        }

        private long contentLength() {
            for (String line : head.toString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return 0;
        }
    }
}
