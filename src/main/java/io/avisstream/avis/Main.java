package io.avisstream.avis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The single entry point: {@code java -jar quarkus-run.jar [command] [args]}. Dispatches to the
 * {@link AvisCommand} bean whose {@code name()} matches; {@code serve} when no command is given.
 *
 * <p>Only the commands that run the service ({@link #SERVING}) open the HTTP port: for every other one (help,
 * topics, ingest, consume, ...) {@link #main} turns the listener off before Quarkus boots, so they never compete
 * with a running {@code serve} for port 8080. Usage errors are one line on stderr and exit 64; {@code <command>
 * --help} prints that command's options and exits 0.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Main.class);
    public static final String DEFAULT_COMMAND = "serve";
    /** Exit code of a usage error (sysexits EX_USAGE): unknown command, unknown option, bad value. */
    public static final int EXIT_USAGE = 64;
    /**
     * Exit code of a command that could not do its work for a reason it did not map to its own code (sysexits
     * EX_SOFTWARE), e.g. no model at {@code avis.engine.model-dir}: one line on stderr, the stack trace at DEBUG.
     */
    public static final int EXIT_FAILED = 70;
    /** Commands that serve HTTP (health, interactive queries). */
    static final Set<String> SERVING = Set.of("serve", "demo");
    static final String HTTP_LISTENER = "quarkus.http.host-enabled";
    /** Quarkus' own start/stop lines are lifecycle news for a service, noise for a tool's stderr. */
    static final String QUARKUS_LOG_LEVEL = "quarkus.log.category.\"io.quarkus\".level";

    @Inject
    @Any
    Instance<AvisCommand> commands;

    public static void main(String... args) {
        String command = args.length == 0 ? DEFAULT_COMMAND : args[0];
        boolean http = SERVING.contains(command) && !Arrays.asList(args).contains("--help");
        List<String> set = new java.util.ArrayList<>();
        if (!http) {
            for (String[] p : new String[][] { { HTTP_LISTENER, "false" }, { QUARKUS_LOG_LEVEL, "WARN" } }) {
                if (System.getProperty(p[0]) == null) {
                    System.setProperty(p[0], p[1]);
                    set.add(p[0]);
                }
            }
        }
        try {
            Quarkus.run(Main.class, args);
        } finally {
            // Tests launch several applications in one JVM: leave no trace for the next one.
            set.forEach(System::clearProperty);
        }
    }

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
                if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
                    System.out.println(command.usage());
                    return 0;
                }
                try {
                    return command.run(rest);
                } catch (IllegalArgumentException e) {
                    // A usage error (bad option, bad value) is the caller's mistake, not a crash: one line, exit 64.
                    System.err.println(name + ": " + e.getMessage());
                    return EXIT_USAGE;
                } catch (Exception e) {
                    // The messages say what to fix (missing model, unreadable file); a stack trace would bury them.
                    System.err.println(name + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                    LOG.debug(name + " failed", e);
                    return EXIT_FAILED;
                }
            }
        }
        System.err.println("unknown command '" + name + "' (help lists the commands)");
        return EXIT_USAGE;
    }

    String usage() {
        List<AvisCommand> sorted = commands.stream().sorted(Comparator.comparing(AvisCommand::name)).toList();
        StringBuilder s = new StringBuilder("usage: java -jar target/quarkus-app/quarkus-run.jar [command] [args]\n")
                .append("commands (default: ").append(DEFAULT_COMMAND).append("; <command> --help for its options):\n");
        for (AvisCommand c : sorted) {
            s.append(String.format("  %-10s %s%n", c.name(), c.description()));
        }
        return s.toString();
    }
}
