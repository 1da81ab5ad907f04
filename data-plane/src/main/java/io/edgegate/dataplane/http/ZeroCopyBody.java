package io.edgegate.dataplane.http;

import io.netty.channel.FileRegion;

/**
 * A body that lives in a file: read chunk by chunk like any body, or, where bytes may go from
 * the page cache to the socket untouched (cleartext HTTP/1.1), handed over whole as a
 * {@link FileRegion} for sendfile.
 */
public interface ZeroCopyBody extends BodyStream {

    /** The rest of the body as a region the channel writes and releases; the body itself is then spent. */
    FileRegion takeRegion();
}
