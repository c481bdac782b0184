package org.hematovision.train;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;

/**
 * A FlatBuffers table read by field id (the TFLite schema's field order), so the importer needs no
 * generated code: {@code vtable offset = 4 + 2 * id}.
 */
final class FbTable extends Table {

    FbTable(int position, ByteBuffer buffer) {
        __reset(position, buffer);
    }

    static FbTable root(ByteBuffer buffer) {
        return new FbTable(buffer.getInt(buffer.position()) + buffer.position(), buffer);
    }

    private int field(int id) {
        return __offset(4 + 2 * id);
    }

    boolean has(int id) {
        return field(id) != 0;
    }

    int intField(int id, int def) {
        int o = field(id);
        return o != 0 ? bb.getInt(o + bb_pos) : def;
    }

    int byteField(int id, int def) {
        int o = field(id);
        return o != 0 ? bb.get(o + bb_pos) : def;
    }

    float floatField(int id, float def) {
        int o = field(id);
        return o != 0 ? bb.getFloat(o + bb_pos) : def;
    }

    String string(int id) {
        int o = field(id);
        return o != 0 ? __string(o + bb_pos) : null;
    }

    FbTable table(int id) {
        int o = field(id);
        return o != 0 ? new FbTable(__indirect(o + bb_pos), bb) : null;
    }

    int vectorLength(int id) {
        int o = field(id);
        return o != 0 ? __vector_len(o) : 0;
    }

    FbTable tableAt(int id, int index) {
        int o = field(id);
        return new FbTable(__indirect(__vector(o) + index * 4), bb);
    }

    int[] intVector(int id) {
        int o = field(id);
        if (o == 0) {
            return new int[0];
        }
        int n = __vector_len(o);
        int start = __vector(o);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getInt(start + 4 * i);
        }
        return out;
    }

    float[] floatVector(int id) {
        int o = field(id);
        if (o == 0) {
            return new float[0];
        }
        int n = __vector_len(o);
        int start = __vector(o);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getFloat(start + 4 * i);
        }
        return out;
    }

    long[] longVector(int id) {
        int o = field(id);
        if (o == 0) {
            return new long[0];
        }
        int n = __vector_len(o);
        int start = __vector(o);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getLong(start + 8 * i);
        }
        return out;
    }

    byte[] byteVector(int id) {
        int o = field(id);
        if (o == 0) {
            return new byte[0];
        }
        int n = __vector_len(o);
        int start = __vector(o);
        byte[] out = new byte[n];
        bb.get(start, out, 0, n);
        return out;
    }
}
