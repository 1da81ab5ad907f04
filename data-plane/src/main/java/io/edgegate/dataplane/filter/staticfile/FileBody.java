package io.edgegate.dataplane.filter.staticfile;

import io.edgegate.dataplane.http.BodyReceiver;
import io.edgegate.dataplane.http.ZeroCopyBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;

/**
 * A range of an open file as a response body. Chunks are read on the file-I/O executor, never
 * on the event loop, and handed to the reader on its loop; or the whole rest goes out as one
 * file region (sendfile) where the connection allows.
 */
public final class FileBody implements ZeroCopyBody {

    private static final int CHUNK = 64 * 1024;

    private final FileChannel file;
    private final Executor io;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final long length;
    private long position;
    private long remaining;
    private boolean released;

    public FileBody(FileChannel file, long position, long length, Executor io, EventLoop loop, ByteBufAllocator alloc) {
        this.file = file;
        this.position = position;
        this.length = length;
        this.remaining = length;
        this.io = io;
        this.loop = loop;
        this.alloc = alloc;
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (released) {
            receiver.onError(new IOException("file body already released"));
            return;
        }
        if (remaining == 0) {
            release();
            receiver.onEnd(EmptyHttpHeaders.INSTANCE);
            return;
        }
        int size = (int) Math.min(CHUNK, remaining);
        long at = position;
        io.execute(() -> {
            ByteBuf chunk = alloc.directBuffer(size);
            try {
                while (chunk.readableBytes() < size) {
                    int read = chunk.writeBytes(file, at + chunk.readableBytes(), size - chunk.readableBytes());
                    if (read < 0) {
                        throw new EOFException("file shrank while being served");
                    }
                }
                loop.execute(() -> {
                    position += size;
                    remaining -= size;
                    receiver.onChunk(chunk);
                });
            } catch (IOException e) {
                chunk.release();
                loop.execute(() -> {
                    release();
                    receiver.onError(e);
                });
            }
        });
    }

    @Override
    public void discard() {
        release();
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public FileRegion takeRegion() {
        FileRegion region = new DefaultFileRegion(file, position, remaining);
        // The region closes the file when it has been written.
        released = true;
        remaining = 0;
        return region;
    }

    private void release() {
        if (!released) {
            released = true;
            try {
                file.close();
            } catch (IOException e) {
                // Nothing to do: the file was only read.
            }
        }
    }
}
