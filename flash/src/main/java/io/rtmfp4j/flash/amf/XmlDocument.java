package io.rtmfp4j.flash.amf;

import java.util.Objects;

/** A legacy {@code flash.xml.XMLDocument} (AMF0 0x0f, AMF3 0x07), as its text. */
public record XmlDocument(String text) {

    public XmlDocument {
        Objects.requireNonNull(text, "text");
    }
}
