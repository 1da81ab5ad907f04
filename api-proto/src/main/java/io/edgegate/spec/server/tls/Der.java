package io.edgegate.spec.server.tls;

import java.io.ByteArrayOutputStream;

/** The few DER encodings needed to rewrap PKCS#1 and SEC1 private keys as PKCS#8. */
final class Der {

    static final byte SEQUENCE = 0x30;
    static final byte INTEGER = 0x02;
    static final byte OCTET_STRING = 0x04;
    static final byte NULL = 0x05;
    static final byte OID = 0x06;
    /** Context tag [0], constructed: SEC1's curve parameters. */
    static final byte CONTEXT_0 = (byte) 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1. */
    static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1. */
    static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private Der() {
    }

    static byte[] tlv(byte tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        byte[] value = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** PKCS#8 PrivateKeyInfo: version 0, the algorithm identifier, the key as an octet string. */
    static byte[] pkcs8(byte[] algorithmIdentifier, byte[] key) {
        return tlv(SEQUENCE, new byte[] {INTEGER, 0x01, 0x00}, algorithmIdentifier, tlv(OCTET_STRING, key));
    }

    /** A cursor over DER elements, for reading SEC1's optional curve parameters. */
    static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        boolean hasMore(int end) {
            return pos < end;
        }

        byte tag() {
            return data[pos];
        }

        /** Enters a constructed element: returns the end of its contents and moves to its first child. */
        int enter() {
            pos++;
            int length = length();
            return pos + length;
        }

        /** The whole element (tag, length and value) at the cursor; moves past it. */
        byte[] element() {
            int start = pos;
            pos++;
            int length = length();
            pos += length;
            byte[] out = new byte[pos - start];
            System.arraycopy(data, start, out, 0, out.length);
            return out;
        }

        void skip() {
            pos++;
            int length = length();
            pos += length;
        }

        private int length() {
            int first = data[pos++] & 0xFF;
            if (first < 0x80) {
                return first;
            }
            int bytes = first & 0x7F;
            if (bytes > 3) {
                throw new IllegalArgumentException("DER length too long");
            }
            int length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (data[pos++] & 0xFF);
            }
            return length;
        }
    }
}
