package io.rtmfp4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a program prints, kept line by line so a test can wait for a line instead of sleeping:
 * a {@link Writer} to hand to code under test, or fed from a process's output.
 */
final class Lines extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> each;
    private boolean ended;

    Lines() {
        this(line -> { });
    }

    /** Lines that are also handed to {@code each} as they come, on the writing thread. */
    Lines(Consumer<String> each) {
        this.each = each;
    }

    /** The lines of {@code in} (UTF-8), read on a daemon thread until it ends. */
    static Lines of(InputStream in) {
        Lines l = new Lines();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    l.add(line);
                }
            } catch (IOException e) {
                // The process went away: its output ends here.
            }
            l.close();
        }, "test-lines");
        t.setDaemon(true);
        t.start();
        return l;
    }

    @Override
    public synchronized void write(char[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = buffer[i];
            if (c == '\n') {
                add(partial.toString());
                partial.setLength(0);
            } else if (c != '\r') {
                partial.append(c);
            }
        }
    }

    private void add(String line) {
        synchronized (this) {
            lines.add(line);
            notifyAll();
        }
        each.accept(line);
    }

    @Override
    public void flush() {
    }

    @Override
    public synchronized void close() {
        ended = true;
        notifyAll();
    }

    /** Every line so far. */
    synchronized List<String> all() {
        return List.copyOf(lines);
    }

    /** Every line, once the output has ended; fails after {@code timeout}. */
    synchronized List<String> untilEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the output did not end within " + timeout + "; lines: " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(lines);
    }

    /** The first {@code count} lines that match, in order, once there are that many; fails after {@code timeout}. */
    synchronized List<String> await(Predicate<String> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> found = lines.stream().filter(match).limit(count).toList();
            if (found.size() == count) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("expected " + count + " matching lines within " + timeout + ", got "
                        + found + (ended ? " before the output ended" : "") + "; all lines: " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The first line that contains {@code text}. */
    String await(String text, Duration timeout) throws InterruptedException {
        return await(l -> l.contains(text), 1, timeout).get(0);
    }

    /** The first group of the first line in which {@code pattern} is found. */
    String group(Pattern pattern, Duration timeout) throws InterruptedException {
        Matcher m = pattern.matcher(await(l -> pattern.matcher(l).find(), 1, timeout).get(0));
        if (!m.find()) {
            throw new AssertionError("no match for " + pattern);
        }
        return m.group(1);
    }
}
