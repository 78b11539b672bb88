package io.avisstream.avis.topology.runtime;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.avisstream.avis.topology.contract.TopicContract;

/**
 * The ACLs the service's principal needs on an authorizer-enabled cluster, and nothing more (README, "Security"; a
 * test runs the pipeline with exactly these): read the inputs, write the outputs and dead letters, create the
 * contract's topics (only when {@code avis.topology.create-topics=true}), own its internal topics (changelogs) and its
 * transactional ids by the {@code application.id} prefix, and use its consumer group.
 */
public final class ServiceAcls {

    private ServiceAcls() {
    }

    /**
     * @param principal e.g. {@code User:avis}
     * @param applicationId {@code avis.topology.application-id}
     * @param createTopics {@code avis.topology.create-topics}
     */
    public static List<AclBinding> required(String principal, String applicationId, TopicContract contract,
            boolean createTopics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String input : List.of(contract.frames().name(), contract.audio().name())) {
            add(acls, principal, ResourceType.TOPIC, input, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
        }
        for (String output : List.of(contract.masks().name(), contract.events().name(), contract.dlq().name())) {
            add(acls, principal, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        if (createTopics) {
            for (String topic : contract.all().stream().map(t -> t.name()).toList()) {
                add(acls, principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE);
            }
        }
        // Internal topics: <application.id>-<store>-changelog (created, restored from, written, checked by Streams).
        add(acls, principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.CREATE,
                AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        add(acls, principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ);
        // exactly_once_v2: one transactional producer per stream thread, id <application.id>-<process id>-<n>.
        add(acls, principal, ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED,
                AclOperation.WRITE, AclOperation.DESCRIBE);
        return List.copyOf(acls);
    }

    private static void add(List<AclBinding> acls, String principal, ResourceType type, String name, PatternType pattern,
            AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
