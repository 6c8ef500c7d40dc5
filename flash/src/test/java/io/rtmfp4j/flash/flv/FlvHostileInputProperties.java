package io.rtmfp4j.flash.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.core.wire.ByteWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Bytes from anywhere: reading either succeeds or raises {@link FlvException}, never another
 * exception, and no tag exceeds the reader's size limit.
 */
class FlvHostileInputProperties {

    private static final int LIMIT = 256;

    /** Reads everything it can; success and {@code FlvException} are the accepted outcomes. */
    private static void readsOrIsMalformed(byte[] bytes, int limit) {
        FlvReader reader = new FlvReader(new ByteArrayInputStream(bytes), limit);
        try {
            for (var tag = reader.next(); tag.isPresent(); tag = reader.next()) {
                assertThat(tag.get().body().length).isLessThanOrEqualTo(limit);
            }
            assertThat(reader.droppedTrailingBytes()).isBetween(0L, (long) bytes.length);
        } catch (FlvException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError("only FlvException may signal bad input", e);
        }
    }

    @Property(tries = 3000)
    void randomBytes(@ForAll @Size(max = 200) byte[] bytes) {
        readsOrIsMalformed(bytes, LIMIT);
    }

    /** Random bytes behind a valid header, so that the tag parser is what they reach. */
    @Property(tries = 3000)
    void randomTagsAfterAValidHeader(@ForAll boolean audio, @ForAll boolean video, @ForAll @Size(max = 400) byte[] rest) {
        byte[] header = new FlvHeader(audio, video).encode();
        readsOrIsMalformed(new ByteWriter().bytes(header).bytes(rest).toByteArray(), LIMIT);
    }

    @Provide
    Arbitrary<List<FlvTag>> tagLists() {
        return FlvFixtures.tagLists();
    }

    /** A valid file with some bytes overwritten: sizes, types, flags and timestamps go wrong. */
    @Property(tries = 2000)
    void mutatedValidFiles(@ForAll("tagLists") List<FlvTag> tags,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll @Size(min = 8, max = 8) byte[] values) {
        byte[] bytes = FlvFixtures.file(new FlvHeader(true, true), tags);
        for (int i = 0; i < positions.size(); i++) {
            bytes[positions.get(i) % bytes.length] = values[i];
        }
        readsOrIsMalformed(bytes, LIMIT);
    }

    /** Any DataSize: above the limit it is refused before the body; otherwise the missing body is a truncated end. */
    @Property(tries = 1000)
    void anyDeclaredSize(@ForAll @IntRange(max = FlvTag.MAX_BODY_SIZE) int size,
            @ForAll @IntRange(max = FlvTag.MAX_BODY_SIZE) int limit, @ForAll @Size(max = 100) byte[] present)
            throws IOException {
        byte[] bytes = new ByteWriter().bytes(new FlvHeader(false, true).encode())
                .u8(FlvTag.VIDEO).u8(size >>> 16).u16(size).u32(0).u8(0).u16(0).bytes(present).toByteArray();
        FlvReader reader = new FlvReader(new ByteArrayInputStream(bytes), limit);
        if (size > limit) {
            assertThatThrownBy(reader::next).isInstanceOf(FlvException.class).hasMessageContaining("exceeds the limit");
        } else if (present.length < size) {
            assertThat(reader.next()).isEmpty();
            assertThat(reader.truncated()).isTrue();
            assertThat(reader.droppedTrailingBytes()).isEqualTo(FlvTag.HEADER_SIZE + present.length);
        } else {
            assertThat(reader.next()).hasValueSatisfying(tag -> assertThat(tag.body()).hasSize(size));
        }
    }
}
