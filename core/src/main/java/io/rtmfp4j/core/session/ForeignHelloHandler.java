package io.rtmfp4j.core.session;

/** Decides what to do with IHellos meant for someone else; the rendezvous server installs one. */
@FunctionalInterface
public interface ForeignHelloHandler {
    /** Called on the loop thread; return whether the hello was handled (unhandled ones are counted as drops). */
    boolean onForeignHello(ForeignHello hello, long nowMicros);
}
