package io.rtmfp4j.flash.tc;

/**
 * What a live stream must know about audio and video message bodies (FLV tag bodies, spec §6.3)
 * to let a viewer join mid-stream: which video frames are key frames, and which messages carry
 * the decoder configuration (AVC/HEVC sequence headers, AAC AudioSpecificConfig) that no frame
 * can be decoded without. Covers classic FLV codec IDs and the Enhanced RTMP extended headers;
 * Enhanced RTMP multitrack and ModEx packets are not looked into.
 */
public final class MediaFrames {
    private static final int VIDEO_KEY_FRAME = 1;
    private static final int CODEC_AVC = 7;
    private static final int CODEC_HEVC = 12;
    private static final int SOUND_AAC = 10;
    /** Enhanced RTMP: sound format 9 marks the extended audio header. */
    private static final int SOUND_EX_HEADER = 9;
    /** Enhanced RTMP: the high bit of a video tag's first byte marks the extended header. */
    private static final int EX_HEADER = 0x80;
    private static final int EX_SEQUENCE_START = 0;

    private MediaFrames() {
    }

    /** A video frame that decodes on its own: a viewer can start here. */
    public static boolean isKeyFrame(int type, byte[] body) {
        if (type != TcMessage.VIDEO || body.length == 0) {
            return false;
        }
        return ((body[0] >> 4) & 0x07) == VIDEO_KEY_FRAME;
    }

    /** Decoder configuration: AVC/HEVC sequence header, AAC config, Enhanced RTMP sequence start. */
    public static boolean isSequenceHeader(int type, byte[] body) {
        if (body.length == 0) {
            return false;
        }
        if (type == TcMessage.VIDEO) {
            if ((body[0] & EX_HEADER) != 0) {
                return (body[0] & 0x0f) == EX_SEQUENCE_START;
            }
            int codec = body[0] & 0x0f;
            return body.length > 1 && (codec == CODEC_AVC || codec == CODEC_HEVC) && body[1] == 0;
        }
        if (type != TcMessage.AUDIO) {
            return false;
        }
        int format = (body[0] >> 4) & 0x0f;
        if (format == SOUND_EX_HEADER) {
            return (body[0] & 0x0f) == EX_SEQUENCE_START;
        }
        return format == SOUND_AAC && body.length > 1 && body[1] == 0;
    }
}
