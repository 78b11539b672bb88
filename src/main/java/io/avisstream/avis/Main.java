package io.avisstream.avis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The single entry point: {@code java -jar quarkus-run.jar [command] [args]}. Dispatches to the
 * {@link AvisCommand} bean whose {@code name()} matches; {@code serve} when no command is given.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    public static final String DEFAULT_COMMAND = "serve";
    private static final Logger LOG = Logger.getLogger(Main.class);

    @Inject
    @Any
    Instance<AvisCommand> commands;

    @Override
    public int run(String... args) throws Exception {
        String name = args.length == 0 ? DEFAULT_COMMAND : args[0];
        if (name.equals("help") || name.equals("--help") || name.equals("-h")) {
            System.out.print(usage());
            return 0;
        }
        for (AvisCommand command : commands) {
            if (command.name().equals(name)) {
                String[] rest = args.length == 0 ? new String[0] : Arrays.copyOfRange(args, 1, args.length);
                try {
                    return command.run(rest);
                } catch (IllegalArgumentException e) {
                    // A usage error (bad option, bad value) is the caller's mistake, not a crash: one line, exit 64.
                    LOG.errorf("%s: %s", name, e.getMessage());
                    return 64;
                }
            }
        }
        LOG.errorf("Unknown command '%s'", name);
        System.err.print(usage());
        return 2;
    }

    String usage() {
        List<AvisCommand> sorted = commands.stream().sorted(Comparator.comparing(AvisCommand::name)).toList();
        StringBuilder s = new StringBuilder("usage: java -jar target/quarkus-app/quarkus-run.jar [command] [args]\n")
                .append("commands (default: ").append(DEFAULT_COMMAND).append("):\n");
        for (AvisCommand c : sorted) {
            s.append(String.format("  %-10s %s%n", c.name(), c.description()));
        }
        return s.toString();
    }
}
