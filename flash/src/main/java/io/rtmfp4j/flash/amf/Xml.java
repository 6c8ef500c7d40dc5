package io.rtmfp4j.flash.amf;

import java.util.Objects;

/**
 * An E4X {@code XML} value (AMF3 0x0b), as its text. AMF0 has no such type; the AMF0 encoder
 * writes it as an XML document (0x0f), which decodes as {@link XmlDocument}.
 */
public record Xml(String text) {

    public Xml {
        Objects.requireNonNull(text, "text");
    }
}
