package io.rtmfp4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing campaign ({@code -Pfuzz}): every {@link Decoder} in turn, each in a JVM of its own
 * (libFuzzer drives one target per process), for {@code fuzz.runs} generated and mutated inputs.
 * Coverage guides the mutations (Jazzer instruments the project's classes); the corpus each
 * decoder builds is kept in {@code target/fuzz/NAME/corpus} and seeds the next campaign. A finding
 * stops that decoder's run and is written to {@code target/fuzz/NAME/crash-*}; the test fails
 * after the last decoder, listing them.
 */
class FuzzCampaign {
    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
    private static final Path OUT = Path.of("target", "fuzz");

    private record Outcome(Decoder decoder, int exit, long runs, double seconds, List<Path> findings) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %,d | %.0f | %,.0f | %s |", decoder, runs, seconds,
                    seconds > 0 ? runs / seconds : 0, findings.isEmpty() ? (exit == 0 ? "none" : "exit " + exit)
                            : findings.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void everyDecoderTakesItsInputsWithoutAnExceptionOutsideItsContract() throws Exception {
        long runs = Long.parseLong(System.getProperty("fuzz.runs", "10000000"));
        String only = System.getProperty("fuzz.decoders", "").strip();
        List<Decoder> decoders = only.isEmpty() ? List.of(Decoder.values())
                : Arrays.stream(only.split(",")).map(String::strip).map(Decoder::valueOf).toList();
        List<Outcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        for (Decoder d : decoders) {
            Outcome o = fuzz(d, runs);
            outcomes.add(o);
            System.out.println(o.row());
        }
        StringBuilder table = new StringBuilder("| decoder | inputs | seconds | inputs/s | findings |\n|---|---|---|---|---|\n");
        outcomes.forEach(o -> table.append(o.row()).append('\n'));
        table.append(String.format(Locale.ROOT, "%ntotal %.0f s%n", (System.nanoTime() - started) / 1e9));
        Files.writeString(OUT.resolve("summary.md"), table);
        System.out.print(table);

        assertThat(outcomes).as(table.toString()).allMatch(o -> o.exit() == 0 && o.findings().isEmpty() && o.runs() >= runs);
    }

    private static Outcome fuzz(Decoder d, long runs) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(OUT.resolve(d.name()));
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path log = dir.resolve("log.txt");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A decoder that allocates what a length field claims fails here, as it would in a server.
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + DecoderTarget.class.getName(), "--target_args=" + d.name(),
                "--instrumentation_includes=io.rtmfp4j.**",
                "-runs=" + runs, "-timeout=10", "-rss_limit_mb=4096", "-print_final_stats=1",
                "-artifact_prefix=" + dir.toAbsolutePath() + "/", corpus.toAbsolutePath().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long t0 = System.nanoTime();
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Matcher done = DONE.matcher(Files.readString(log));
        long executed = done.find() ? Long.parseLong(done.group(1)) : 0;
        List<Path> findings;
        try (Stream<Path> files = Files.list(dir)) {
            findings = files.filter(f -> f.getFileName().toString().matches("(crash|timeout|oom|leak)-.*")).toList();
        }
        return new Outcome(d, exit, executed, seconds, findings);
    }
}
