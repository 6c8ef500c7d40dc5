/**
 * RTMFP chunks (RFC 7016 §2.3): one immutable record per chunk type, and {@link
 * io.rtmfp4j.core.chunk.ChunkCodec} to turn a chunk body into the right record.
 *
 * <p>Byte arrays handed to a record belong to it from then on: records neither copy them on
 * construction nor on access, because chunks sit on the per-packet path. Treat them as
 * read-only. Equality, hash codes and {@code toString} look at array contents.
 */
package io.rtmfp4j.core.chunk;
