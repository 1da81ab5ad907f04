package io.edgegate.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Which windows the client has opened since they were last asked about: the connection's and
 * each stream's. A response held by a window the client keeps opening, however little, is a slow
 * reader, not a stalled one. The frame codec passes no connection-level WINDOW_UPDATE on, so this
 * listens to the decoder itself. Used on the connection's event loop.
 */
final class WindowUpdates extends Http2FrameListenerDecorator {

    private final Http2Connection connection;
    private final Http2Connection.PropertyKey opened;
    private boolean connectionOpened;

    WindowUpdates(Http2FrameListener listener, Http2Connection connection) {
        super(listener);
        this.connection = connection;
        this.opened = connection.newKey();
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) throws Http2Exception {
        if (streamId == 0) {
            connectionOpened = true;
        } else {
            Http2Stream stream = connection.stream(streamId);
            if (stream != null) {
                stream.setProperty(opened, Boolean.TRUE);
            }
        }
        super.onWindowUpdateRead(ctx, streamId, windowSizeIncrement);
    }

    /** Whether the client opened the connection's window since the last call. */
    boolean takeConnectionOpened() {
        boolean was = connectionOpened;
        connectionOpened = false;
        return was;
    }

    /** Whether the client opened {@code stream}'s window since the last call for it. */
    boolean takeOpened(Http2Stream stream) {
        return stream.removeProperty(opened) != null;
    }
}
