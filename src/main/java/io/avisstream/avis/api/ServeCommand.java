package io.avisstream.avis.api;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

import io.avisstream.avis.AvisCommand;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.topology.runtime.KafkaAccessException;
import io.quarkus.runtime.Quarkus;

/** {@code serve}: broker (unless configured), topics and topology; runs until stopped (SIGTERM / Ctrl-C). */
@ApplicationScoped
public class ServeCommand implements AvisCommand {
    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Inject
    AvisStreams streams;

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String description() {
        return "run the streaming service (in-process Kafka broker unless kafka.bootstrap.servers is set)";
    }

    @Override
    public String usage() {
        return """
                usage: serve   (no options; configuration keys as -Dkey=value, see README "Configuration")
                exit codes: 0 stopped (Ctrl-C / SIGTERM), 1 the topology failed, 64 usage, 70 cannot start (one line says
                why, e.g. no model at avis.engine.model-dir), 77 Kafka refused the credentials""";
    }

    @Override
    public int run(String... args) {
        if (args.length > 0) {
            throw new IllegalArgumentException("unknown option " + args[0] + " (serve takes no options; -Dkey=value sets configuration)");
        }
        AtomicInteger exitCode = new AtomicInteger();
        streams.onStateChange(state -> {
            if (state == KafkaStreams.State.ERROR) {
                exitCode.set(1);
                Quarkus.asyncExit(1);
            }
        });
        String bootstrap;
        try {
            bootstrap = streams.start();
        } catch (KafkaAccessException e) {
            // Refused credentials, certificate or ACL: one line and a distinct exit status, never a retry loop.
            LOG.error(e.getMessage());
            return KafkaAccessException.EXIT_CODE;
        }
        LOG.infof("Serving: frames=%s audio=%s -> masks=%s events=%s (bootstrap=%s). Stop with Ctrl-C.",
                streams.contract().frames().name(), streams.contract().audio().name(),
                streams.contract().masks().name(), streams.contract().events().name(), bootstrap);
        Quarkus.waitForExit();
        return exitCode.get();
    }
}
