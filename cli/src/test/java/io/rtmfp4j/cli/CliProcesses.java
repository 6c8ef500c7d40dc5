package io.rtmfp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code rtmfp} as real processes on this machine, for tests; {@link #close()} stops every one still running. */
final class CliProcesses implements AutoCloseable {
    static final Pattern LISTENING = Pattern.compile("listening on \\[/127\\.0\\.0\\.1:(\\d+)]");
    private final List<Process> processes = new ArrayList<>();

    /** What a finished process printed, and its exit code. */
    record Result(int exit, String out, String err) {
    }

    /** Starts {@code rtmfp ARGS}. */
    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Rtmfp.class.getName()));
        cmd.addAll(List.of(args));
        return start(new ProcessBuilder(cmd));
    }

    /** Starts {@code command}, to be stopped with the others. */
    Process start(ProcessBuilder command) throws IOException {
        // A UTF-8 terminal whatever the machine's locale: chat reads and prints in the terminal's encoding.
        command.environment().put("LC_ALL", "C.UTF-8");
        Process p = command.start();
        processes.add(p);
        return p;
    }

    /** Runs {@code rtmfp ARGS} to its end. */
    Result run(String... args) throws Exception {
        return finish(start(args));
    }

    /** Waits for {@code p} to end and returns what it printed. */
    static Result finish(Process p) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        // A bound for a hung process, not a timing: bench connect starts child JVMs and asks the
        // server for a full collection, which on a loaded two-core machine can take most of a minute.
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("process finished").isTrue();
        return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Starts {@code rtmfp server} on 127.0.0.1 with the extra arguments and returns its UDP port once it listens. */
    String startServer(String... extra) throws IOException {
        Matcher m = LISTENING.matcher(startServerLog(extra));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Starts {@code rtmfp server} with the extra arguments and returns its log up to the line saying where it listens. */
    String startServerLog(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", "0", "--admin", "127.0.0.1:0"));
        args.addAll(List.of(extra));
        Process server = start(args.toArray(String[]::new));
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder lines = new StringBuilder();
        boolean listening = false;
        for (String line; !listening && (line = log.readLine()) != null; ) {
            lines.append(line).append('\n');
            listening = LISTENING.matcher(line).find();
        }
        assertThat(listening).as("server announced its port").isTrue();
        // Keep draining its log so it never blocks on a full pipe.
        CompletableFuture.runAsync(() -> log.lines().forEach(l -> { }));
        return lines.toString();
    }

    /** The processes started so far, oldest first. */
    List<Process> processes() {
        return List.copyOf(processes);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
