package io.kprom.sink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;

/**
 * What an endpoint answers on success: a writer for the {@code data} field plus annotations, or
 * an empty 204 (the admin endpoints). Immutable.
 */
public record ApiResult(DataWriter data, List<String> warnings, List<String> infos, boolean empty) {
    /** Writes the value of {@code data}; called once, on the request thread. */
    @FunctionalInterface
    public interface DataWriter {
        void write(JsonGenerator json) throws IOException;
    }

    public ApiResult {
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }

    public static ApiResult of(DataWriter data) {
        return new ApiResult(data, List.of(), List.of(), false);
    }

    public static ApiResult of(DataWriter data, List<String> warnings, List<String> infos) {
        return new ApiResult(data, warnings, infos, false);
    }

    public static ApiResult noContent() {
        return new ApiResult(json -> json.writeNull(), List.of(), List.of(), true);
    }
}
