package io.avisstream.avis;

/**
 * A sub-command of the {@code quarkus-run.jar} entry point ({@code java -jar ... <name> [args]}).
 *
 * <p>Each capability contributes its commands as {@code @ApplicationScoped} beans implementing this
 * interface ({@code serve}, {@code topics}, {@code demo}, {@code bench}, ...); the single
 * {@code @QuarkusMain} dispatches on {@link #name()}, so adding a command never edits the main class.
 */
public interface AvisCommand {

    /** The word that selects this command on the command line. */
    String name();

    /** One line for the usage text. */
    String description();

    /** The options of this command, printed by {@code <name> --help}; by default the description. */
    default String usage() {
        return "usage: " + name() + "\n  " + description();
    }

    /** Runs the command; the return value is the process exit code. */
    int run(String... args) throws Exception;
}
