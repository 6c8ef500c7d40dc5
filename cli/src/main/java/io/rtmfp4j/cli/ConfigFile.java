package io.rtmfp4j.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a properties file ({@code --config FILE}): a key is an option's long name
 * without its dashes ({@code max-sessions=50000}); list options take comma-separated values. The
 * command line still wins. An unknown key is an error, so a typo never silently falls back to a
 * default.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Properties properties;

    private ConfigFile(Properties properties) {
        this.properties = properties;
    }

    /**
     * Installs the file named by {@code --config} in {@code args} (if any) on the subcommand it
     * follows, before the command line is parsed.
     *
     * @throws CommandLine.ParameterException if the file cannot be read or names unknown options
     */
    static void install(CommandLine root, String[] args) {
        CommandLine target = root;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (target.getSubcommands().containsKey(a)) {
                target = target.getSubcommands().get(a);
            } else if (a.equals("--config") && i + 1 < args.length) {
                load(target, Path.of(args[i + 1]));
                return;
            } else if (a.startsWith("--config=")) {
                load(target, Path.of(a.substring("--config=".length())));
                return;
            }
        }
    }

    private static void load(CommandLine command, Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(command, "cannot read --config " + file + ": " + ErrorText.of(e));
        }
        CommandSpec spec = command.getCommandSpec();
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            known.add(key(o));
        }
        known.remove("config");
        for (String k : p.stringPropertyNames()) {
            if (!known.contains(k)) {
                throw new CommandLine.ParameterException(command, "unknown setting '" + k + "' in " + file
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
        command.setDefaultValueProvider(new ConfigFile(p));
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            String v = properties.getProperty(key(o));
            if (v != null) {
                return v.strip();
            }
        }
        return arg.defaultValue();
    }
}
