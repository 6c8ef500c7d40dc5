/**
 * A DHT-style key-value store on NetGroup directed routing: {@link io.rtmfp4j.flash.store.GroupStore}
 * keeps each entry on the members nearest the key's group address, signed by its writer
 * ({@link io.rtmfp4j.flash.store.WriterKey}); {@link io.rtmfp4j.flash.store.StoreEntry} and
 * {@link io.rtmfp4j.flash.store.StoreMessage} are its wire. See docs/groups.md, "GroupStore".
 */
package io.rtmfp4j.flash.store;
