package io.avisstream.avis.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.topology.contract.TopicContract;

/** README's ACL table lists exactly the ACLs of {@link ServiceAcls} (the ones SecuredPipelineIT grants). */
class ServiceAclsReadmeTest {
    private static final Pattern ROW = Pattern.compile("^\\| (topic|group|transactional id) (.+?) \\| (literal|prefixed) \\| ([A-Z_, ]+) \\|",
            Pattern.MULTILINE);

    @Test
    void shouldListExactlyTheServiceAclsInTheReadme() throws Exception {
        // Given the ACLs in code, as "type name pattern operation"
        TopicContract contract = TopicContract.bundled();
        Set<String> inCode = new TreeSet<>();
        for (AclBinding acl : ServiceAcls.required("User:avis", "avis-stream", contract, true)) {
            inCode.add(acl.pattern().resourceType().name() + " " + acl.pattern().name() + " "
                    + acl.pattern().patternType().name() + " " + acl.entry().operation().name());
        }

        // When the README's table is read
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("**ACLs (least privilege).**"));
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            String type = row.group(1).toUpperCase(Locale.ROOT).replace(' ', '_');
            Set<String> names = new LinkedHashSet<>();
            Matcher quoted = Pattern.compile("`([^`]+)`").matcher(row.group(2));
            while (quoted.find()) {
                names.add(quoted.group(1));
            }
            for (String name : names) {
                for (String op : Arrays.stream(row.group(4).split(",")).map(String::trim).toList()) {
                    documented.add(type + " " + name + " " + row.group(3).toUpperCase(Locale.ROOT) + " " + op);
                }
            }
        }

        // Then
        assertThat(documented).isEqualTo(inCode);
    }
}
