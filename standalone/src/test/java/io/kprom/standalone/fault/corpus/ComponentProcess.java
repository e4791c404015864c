package io.kprom.standalone.fault.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ComponentMain} child JVM: started with its own heap size, its log in {@code <name>.log} and
 * its GC log in {@code <name>-gc.log} under {@code logDir}. Its memory is read with {@link #memory()}
 * (heap after a full GC and RSS, measured by the child itself). Not thread-safe; close once.
 */
public final class ComponentProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path log;
    private int webPort;

    private ComponentProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts {@code role}; {@link #webPort()} waits until its components have started.
     *
     * @param heap the child's {@code -Xmx}, e.g. {@code 768m}
     */
    public static ComponentProcess start(String role, String heap, Path logDir, Path config, Path dataDir,
            String bootstrapServers, String job, long jobLimit) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = logDir.resolve(role + ".log");
        // The JVM's default collector (G1 here), as deploy/ runs the components: it returns heap to the OS
        // after a full GC, so the RSS reported after the bomb is what the component keeps.
        Process process = new ProcessBuilder(List.of(java, "-Xmx" + heap,
                "-Xlog:gc:file=" + logDir.resolve(role + "-gc.log"), "-cp", System.getProperty("java.class.path"),
                ComponentMain.class.getName(), role, config.toString(), dataDir.toString(), bootstrapServers, job,
                Long.toString(jobLimit)))
                .redirectError(log.toFile()).start();
        return new ComponentProcess(role, process, log);
    }

    /** The child's web listener port; the first call waits until the child has started all its components. */
    public int webPort() throws IOException {
        if (webPort == 0) {
            webPort = Integer.parseInt(expect("web-port ").trim());
        }
        return webPort;
    }

    public Path log() {
        return log;
    }

    /** The child's heap after a full GC and its RSS, as it measures them now. */
    public MemoryReport memory() throws IOException {
        in.write("memory\n");
        in.flush();
        String[] fields = expect("memory ").trim().split(" ");
        return new MemoryReport(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    }

    private String expect(String prefix) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IOException(name + " child ended before answering '" + prefix.trim() + "'; its log " + log + ":\n"
                + tail(log));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            in.write("stop\n");
            in.flush();
        } catch (IOException e) {
            // Already gone: nothing to stop.
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
