package io.rtmfp4j.flash.flv;

import static io.rtmfp4j.flash.flv.FlvFixtures.readAll;
import static io.rtmfp4j.flash.flv.FlvFixtures.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** What the writer writes, the reader reads back: whole, or up to wherever the bytes were cut. */
class FlvRoundTripProperties {

    @Provide
    Arbitrary<List<FlvTag>> tagLists() {
        return FlvFixtures.tagLists();
    }

    @Property(tries = 500)
    void writerThenReaderGivesEveryTagBack(@ForAll boolean audio, @ForAll boolean video,
            @ForAll("tagLists") List<FlvTag> tags) throws IOException {
        FlvHeader header = new FlvHeader(audio, video);
        byte[] bytes = FlvFixtures.file(header, tags);
        assertThat(bytes).hasSize(FlvHeader.ENCODED_SIZE
                + tags.stream().mapToInt(t -> FlvTag.HEADER_SIZE + t.body().length + 4).sum());
        FlvReader reader = reader(bytes);
        assertThat(reader.header()).isEqualTo(header);
        assertThat(readAll(reader)).isEqualTo(tags);
        assertThat(reader.tagsRead()).isEqualTo(tags.size());
        assertThat(reader.truncated()).isFalse();
        assertThat(reader.previousTagSizeMismatches()).isZero();
        assertThat(reader.skippedUnknownTags() + reader.skippedEncryptedTags()).isZero();
        assertThat(FlvFixtures.file(reader.header(), readAll(reader(bytes)))).isEqualTo(bytes);
    }

    /**
     * A file cut anywhere: inside the header it is an {@code FlvException}; elsewhere the reader
     * returns every tag whose body is whole and counts the bytes of the one it could not finish.
     */
    @Property(tries = 1000)
    void aCutFileGivesThePrefixOfWholeTags(@ForAll("tagLists") List<FlvTag> tags,
            @ForAll @DoubleRange(max = 1.0) double where) throws IOException {
        byte[] whole = FlvFixtures.file(new FlvHeader(true, true), tags);
        int cut = (int) Math.round(where * whole.length);
        byte[] bytes = Arrays.copyOf(whole, cut);
        if (cut < FlvHeader.SIZE) {
            assertThatThrownBy(() -> reader(bytes).header()).isInstanceOf(FlvException.class);
            return;
        }
        // Walk the layout: which tags the cut leaves whole, and what it leaves over.
        int start = FlvHeader.SIZE;
        int end = FlvHeader.ENCODED_SIZE;    // where the header's or a tag's PreviousTagSize ends
        int expectedTags = 0;
        long dropped = cut - start;
        for (FlvTag tag : tags) {
            if (end > cut) {
                break;
            }
            start = end;
            dropped = cut - start;
            int bodyEnd = start + FlvTag.HEADER_SIZE + tag.body().length;
            end = bodyEnd + 4;
            if (bodyEnd <= cut) {
                expectedTags++;
                dropped = cut - bodyEnd;
            }
        }
        // A cut right after a PreviousTagSize looks like a whole, shorter file.
        boolean clean = cut == end || cut == start && start > FlvHeader.SIZE;
        FlvReader reader = reader(bytes);
        assertThat(readAll(reader)).isEqualTo(tags.subList(0, expectedTags));
        assertThat(reader.truncated()).isEqualTo(!clean);
        assertThat(reader.droppedTrailingBytes()).isEqualTo(clean ? 0 : dropped);
        assertThat(reader.previousTagSizeMismatches()).isZero();
    }
}
