/**
 * File delivery between two peers over direct peer-to-peer {@link io.rtmfp4j.flash.net.NetStream}s:
 * {@link io.rtmfp4j.flash.files.FileSender} offers one file, {@link io.rtmfp4j.flash.files.FileReceiver}
 * accepts files into a directory, resuming interrupted transfers and checking every file's SHA-256.
 * The protocol is specified in docs/files.md.
 */
package io.rtmfp4j.flash.files;
