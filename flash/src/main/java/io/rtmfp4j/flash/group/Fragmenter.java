package io.rtmfp4j.flash.group;

import io.rtmfp4j.flash.group.wire.MediaFragment;
import io.rtmfp4j.flash.tc.TcMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a stream's messages into multicast fragments with consecutive ids (netgroup spec §8.6): a
 * message of up to 959 bytes is one WHOLE fragment, a longer one a FIRST, MIDDLEs and a LAST of
 * 959 bytes each but the last, as librtmfp cuts them. The FIRST says how many pieces follow in
 * one byte, so a message of more than 256 pieces (245 KB, a key frame of a high-rate stream)
 * gets pieces just large enough to fit: receivers accept any piece size.
 */
final class Fragmenter {
    /** The most pieces one message may have: the FIRST's count of pieces to follow is a byte. */
    static final int MAX_PIECES = 256;

    private Fragmenter() {
    }

    /** The fragments of {@code m}, numbered from {@code firstId}. */
    static List<MediaFragment> split(long firstId, TcMessage m) {
        byte[] body = m.payload();
        int piece = Math.max(MediaFragment.LIBRTMFP_PIECE_SIZE, (body.length + MAX_PIECES - 1) / MAX_PIECES);
        if (body.length <= piece) {
            return List.of(MediaFragment.whole(firstId, m.type(), m.timestamp(), body));
        }
        int count = (body.length + piece - 1) / piece;
        List<MediaFragment> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(body, i * piece, Math.min(body.length, (i + 1) * piece));
            int rest = count - 1 - i;
            long id = firstId + i;
            out.add(i == 0 ? MediaFragment.first(id, rest, m.type(), m.timestamp(), part)
                    : rest > 0 ? MediaFragment.middle(id, rest, part) : MediaFragment.last(id, part));
        }
        return out;
    }
}
