package io.kprom.promql.ast;

import java.util.List;
import java.util.Objects;

/**
 * The signature of a PromQL function. Look functions up with {@link Functions#get(String)}.
 *
 * @param argTypes     types of the declared arguments
 * @param variadic     as in Prometheus: 0 means exactly {@code argTypes.size()} arguments; otherwise the last
 *                     declared argument is optional and n &gt; 0 allows up to {@code argTypes.size() - 1 + n}
 *                     arguments, -1 any number; extra arguments have the last declared type
 * @param experimental behind {@code --enable-feature=promql-experimental-functions} in Prometheus (kprom accepts
 *                     them by default; see {@code ParserOptions})
 */
public record FunctionDef(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
        boolean experimental) {
    public FunctionDef {
        Objects.requireNonNull(name, "name");
        argTypes = List.copyOf(argTypes);
        Objects.requireNonNull(returnType, "returnType");
        if (variadic < -1 || (variadic != 0 && argTypes.isEmpty())) {
            throw new IllegalArgumentException("invalid variadic " + variadic + " for " + name);
        }
    }

    /** Fewest arguments a call may have. */
    public int minArgs() {
        return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
    }

    /** Most arguments a call may have; {@link Integer#MAX_VALUE} when unlimited. */
    public int maxArgs() {
        return variadic == 0 ? argTypes.size() : variadic < 0 ? Integer.MAX_VALUE : argTypes.size() - 1 + variadic;
    }

    /** Expected type of argument {@code index} (the last declared type for arguments beyond the declared ones). */
    public ValueType argType(int index) {
        return argTypes.get(Math.min(index, argTypes.size() - 1));
    }
}
