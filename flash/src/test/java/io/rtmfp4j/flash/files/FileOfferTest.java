package io.rtmfp4j.flash.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtmfp4j.flash.amf.Amf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileOfferTest {
    private static final String SHA = "AB".repeat(32);

    @Test
    void survivesAmfAndNormalisesTheDigest() {
        FileOffer offer = new FileOffer("report 2024.pdf", 123_456_789_012L, SHA);

        List<Object> decoded = Amf.decodeAmf0(Amf.encodeAmf0(offer.toAmf()));

        assertThat(FileOffer.fromAmf(decoded.get(0))).isEqualTo(offer);
        assertThat(offer.sha256()).isEqualTo("ab".repeat(32));
    }

    @Test
    void namesThatCouldLeaveTheDirectoryOrHideAreRefused() {
        for (String bad : List.of("", "..", ".hidden", "a/b", "..\\x", "c:x", "bell\u0007", "gpj\u202Eexe.txt", "zero\u200Bwidth",
                "x".repeat(256))) {
            assertThat(FileOffer.nameProblem(bad)).as(bad).isNotNull();
        }
        assertThat(FileOffer.nameProblem("naïve résumé.txt")).isNull();
        assertThat(FileOffer.nameProblem("a..b")).isNull();
    }

    @Test
    void malformedOffersSayWhatIsWrong() {
        assertThatThrownBy(() -> FileOffer.fromAmf("offer")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("etc/passwd", 1.0, SHA))).hasMessageContaining("separator");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("a", -1.0, SHA))).hasMessageContaining("size");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("a", 1.5, SHA))).hasMessageContaining("size");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("a", Double.NaN, SHA))).hasMessageContaining("size");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("a", 0x1p60, SHA))).hasMessageContaining("size");
        assertThatThrownBy(() -> FileOffer.fromAmf(offer("a", 1.0, "xyz"))).hasMessageContaining("SHA-256");
    }

    private static Map<String, Object> offer(String name, double size, String sha) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("size", size);
        m.put("sha256", sha);
        return m;
    }
}
