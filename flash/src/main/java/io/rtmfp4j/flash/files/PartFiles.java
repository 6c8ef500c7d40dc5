package io.rtmfp4j.flash.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** How a download kept in a part file becomes the file: for file transfers and swarms alike. */
public final class PartFiles {
    private PartFiles() {
    }

    /**
     * Renames a complete {@code part} to {@code target}, atomically where the file system can.
     *
     * @throws FileAlreadyExistsException if {@code target} exists: an atomic rename replaces what
     *     is there on POSIX systems, and a file that appeared meanwhile is never overwritten
     */
    public static void moveIntoPlace(Path part, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a file of that name appeared meanwhile");
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target);
        }
    }
}
