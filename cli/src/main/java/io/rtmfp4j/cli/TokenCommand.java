package io.rtmfp4j.cli;

import io.rtmfp4j.server.auth.HmacTokens;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rtmfp token}: the token a client passes to a server started with {@code --auth token}. */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the HMAC-SHA256 token for an app (and optionally a user) that `rtmfp server --auth token "
                + "--secret SECRET` accepts, as rtmfp-cpp's tcserver computes it.",
                "Clients pass it as the first extra connect argument, or the user name and then the token."})
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--secret", required = true, paramLabel = "TEXT", description = "The server's secret.")
    String secret;

    @Option(names = "--user", paramLabel = "NAME", description = "Bind the token to this user name.")
    String user;

    @Parameters(paramLabel = "APP", description = "The app: the rtmfp URL's path without the leading '/'.")
    String app;

    @Override
    public Integer call() {
        System.out.println(HmacTokens.token(secret.getBytes(StandardCharsets.UTF_8), app, user));
        return 0;
    }
}
