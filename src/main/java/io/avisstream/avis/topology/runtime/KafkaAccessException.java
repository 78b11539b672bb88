package io.avisstream.avis.topology.runtime;

import java.util.Optional;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The cluster refused this service: wrong or missing credentials, an untrusted certificate, or a missing ACL. Not
 * retried (the answer would be the same); commands print {@link #getMessage()} as one line and exit with
 * {@link #EXIT_CODE}.
 */
public class KafkaAccessException extends IllegalStateException {
    /** {@code EX_NOPERM} (sysexits.h). */
    public static final int EXIT_CODE = 77;

    public KafkaAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The access failure in {@code t}'s cause chain as a {@link KafkaAccessException} whose message says what was
     * refused, where, and with which (non-secret) settings; empty when {@code t} is something else.
     */
    public static Optional<KafkaAccessException> of(Throwable t, String bootstrapServers, String security) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KafkaAccessException access) {
                return Optional.of(access);
            }
            if (c instanceof AuthenticationException) {
                return Optional.of(new KafkaAccessException("Kafka authentication failed: bootstrap=" + bootstrapServers
                        + " " + security + ": " + c.getMessage() + " (check kafka.sasl.jaas.config and kafka.ssl.*)", c));
            }
            if (c instanceof AuthorizationException) {
                return Optional.of(new KafkaAccessException("Kafka authorization failed: bootstrap=" + bootstrapServers
                        + " " + security + ": " + c.getMessage() + " (README, Security: the ACLs the service needs)", c));
            }
        }
        return Optional.empty();
    }
}
