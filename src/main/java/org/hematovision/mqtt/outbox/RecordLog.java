package org.hematovision.mqtt.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Framing of the outbox files: each record is {@code MAGIC, length, CRC32(body), body}. The magic
 * lets a reader resynchronise after a corrupt record instead of losing the rest of the file.
 */
final class RecordLog {

    static final int MAGIC = 0x48564F42; // "HVOB"
    static final int HEADER = 12;
    /** Larger lengths are corruption, not records (payloads are a few KB). */
    static final int MAX_BODY = 16 * 1024 * 1024;

    private RecordLog() {
    }

    static byte[] frame(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(HEADER + body.length);
        b.putInt(MAGIC).putInt(body.length).putInt((int) crc.getValue()).put(body);
        return b.array();
    }

    /**
     * Result of scanning a file.
     *
     * @param bodies     intact records in file order
     * @param goodEnd    offset just after the last intact record (where appending may resume)
     * @param corrupt    corrupt or torn records skipped
     */
    record Scan(List<byte[]> bodies, long goodEnd, int corrupt) {
    }

    static Scan scan(byte[] data) {
        List<byte[]> bodies = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data);
        int pos = 0;
        long goodEnd = 0;
        int corrupt = 0;
        boolean inBadRun = false;
        while (pos + HEADER <= data.length) {
            byte[] body = tryRead(b, pos, data.length);
            if (body != null) {
                bodies.add(body);
                pos += HEADER + body.length;
                goodEnd = pos;
                inBadRun = false;
            } else {
                // count a run of garbage as one skipped record, then look for the next intact one
                if (!inBadRun) {
                    corrupt++;
                    inBadRun = true;
                }
                pos++;
            }
        }
        if (!inBadRun && pos < data.length) {
            corrupt++; // a tail shorter than a header: torn write
        }
        return new Scan(bodies, goodEnd, corrupt);
    }

    private static byte[] tryRead(ByteBuffer b, int pos, int limit) {
        if (b.getInt(pos) != MAGIC) {
            return null;
        }
        int len = b.getInt(pos + 4);
        if (len < 0 || len > MAX_BODY || pos + HEADER + (long) len > limit) {
            return null;
        }
        int crcStored = b.getInt(pos + 8);
        CRC32 crc = new CRC32();
        crc.update(b.array(), pos + HEADER, len);
        if ((int) crc.getValue() != crcStored) {
            return null;
        }
        byte[] body = new byte[len];
        System.arraycopy(b.array(), pos + HEADER, body, 0, len);
        return body;
    }

    static byte[] encode(OutboxMessage m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + m.payloadLength());
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1); // record version
            out.writeLong(m.seq());
            out.writeLong(m.timestamp());
            out.writeByte(m.qos());
            out.writeBoolean(m.retained());
            out.writeBoolean(m.droppable());
            out.writeUTF(m.messageId());
            out.writeUTF(m.sampleId());
            out.writeUTF(m.topic());
            byte[] p = m.payload();
            out.writeInt(p.length);
            out.write(p);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    static OutboxMessage decode(byte[] body) throws IOException {
        var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(body));
        int version = in.readUnsignedByte();
        if (version != 1) {
            throw new IOException("unknown outbox record version " + version);
        }
        long seq = in.readLong();
        long ts = in.readLong();
        int qos = in.readUnsignedByte();
        boolean retained = in.readBoolean();
        boolean droppable = in.readBoolean();
        String id = in.readUTF();
        String sample = in.readUTF();
        String topic = in.readUTF();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        return new OutboxMessage(seq, id, sample, ts, topic, qos, retained, droppable, payload);
    }
}
