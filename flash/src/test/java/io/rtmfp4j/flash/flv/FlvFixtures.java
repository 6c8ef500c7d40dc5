package io.rtmfp4j.flash.flv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Builds FLV files in memory and reads them back, for the tests of this package. */
final class FlvFixtures {
    private FlvFixtures() {
    }

    static byte[] file(FlvHeader header, List<FlvTag> tags) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FlvWriter writer = new FlvWriter(bytes)) {
            writer.writeHeader(header);
            for (FlvTag tag : tags) {
                writer.write(tag);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Every tag up to the end of the input. */
    static List<FlvTag> readAll(FlvReader reader) throws IOException {
        List<FlvTag> tags = new ArrayList<>();
        for (var tag = reader.next(); tag.isPresent(); tag = reader.next()) {
            tags.add(tag.get());
        }
        return tags;
    }

    static FlvReader reader(byte[] bytes) {
        return new FlvReader(new ByteArrayInputStream(bytes));
    }

    /** Tags of the three types with any 32-bit timestamp and small bodies, empty ones included. */
    static Arbitrary<FlvTag> tags() {
        return Combinators.combine(
                Arbitraries.of(FlvTag.AUDIO, FlvTag.VIDEO, FlvTag.SCRIPT_DATA),
                Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(FlvTag::new);
    }

    static Arbitrary<List<FlvTag>> tagLists() {
        return tags().list().ofMaxSize(20);
    }
}
