package io.rtmfp4j.cli;

import io.rtmfp4j.flash.net.NetStatusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong, in words for the command line: the reason, without Java's exception names. */
final class ErrorText {
    private ErrorText() {
    }

    /** The reason {@code t} (or what it wraps) gives, as a phrase to follow "cannot ...: ". */
    static String of(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason());
        }
        if (addressInUse(e)) {
            return "address already in use";
        }
        if (e instanceof NetStatusException s) {
            return TerminalText.clean(s.status().toString());
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            // An exception without a message names only its kind: say it in words.
            return e.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        }
        return TerminalText.clean(message);
    }

    /** Why {@code file} cannot be read as a file, in words; null if it can. */
    static String unreadable(Path file) {
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (!Files.isRegularFile(file)) {
            return "not a regular file";
        }
        try {
            Files.newInputStream(file).close();
            return null;
        } catch (IOException e) {
            return of(e);
        }
    }

    /** Whether {@code t} says a socket could not be bound because the address or port is taken. */
    static boolean addressInUse(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            // Netty's native transport reports it as an IOException of its own, with the errno's text.
            if (e instanceof BindException || String.valueOf(e.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException || e instanceof UncheckedIOException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
