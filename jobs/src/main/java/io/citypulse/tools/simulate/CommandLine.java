package io.citypulse.tools.simulate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The command line of the data tools (scripts/simulate, scripts/import-csv): {@code --option value}
 * or {@code --option=value} (a repeated option takes its last value) and value-less flags. Anything
 * else is a {@link UsageException} naming the offending argument.
 */
public final class CommandLine {

    /** The flags given and the options' values, in command-line order. */
    public record Parsed(Set<String> flags, Map<String, String> values) {}

    private CommandLine() {}

    public static Parsed parse(
            String[] args, Set<String> flagNames, Collection<String> valueOptions)
            throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (flagNames.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            if (!valueOptions.contains(name)) {
                throw new UsageException(
                        arg.startsWith("-")
                                ? "unknown option " + name
                                : "unexpected argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        return new Parsed(flags, values);
    }
}
