package io.kprom.bench.load;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs kprom's embedded single-node KRaft broker ({@code io.kprom.standalone.kafka.EmbeddedKafka}) as a
 * process of its own, so the split-deployment benchmark can read the broker's CPU apart from the
 * components': {@code EmbeddedBrokerMain <data-dir> <port>}. Prints {@code bootstrap: host:port} once
 * the broker answers and stops it on SIGTERM/SIGINT.
 *
 * <p>The broker class lives in the standalone module, which bench does not depend on (bench must not
 * pull the Kafka server into its JMH class path); it is looked up at run time, so run this class with
 * bench's classes in front of the standalone module's runtime class path, as {@code load-compare.sh} does.
 */
public final class EmbeddedBrokerMain {
    private static final String BROKER_CLASS = "io.kprom.standalone.kafka.EmbeddedKafka";

    private EmbeddedBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedBrokerMain <data-dir> <port>");
            System.exit(2);
        }
        AutoCloseable broker = start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                System.err.println("broker close failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        System.out.println("bootstrap: " + broker.getClass().getMethod("bootstrapServers").invoke(broker));
        System.out.flush();
        stopped.await();
    }

    private static AutoCloseable start(Path dataDirectory, int port) throws Exception {
        Class<?> brokerClass;
        try {
            brokerClass = Class.forName(BROKER_CLASS);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(BROKER_CLASS + " is not on the class path: run with the standalone module's "
                    + "runtime class path (standalone/<target>/runtime-classpath.txt)", e);
        }
        Method start = brokerClass.getMethod("start", Path.class, String.class, int.class, Duration.class);
        try {
            return (AutoCloseable) start.invoke(null, dataDirectory, "127.0.0.1", port, Duration.ofSeconds(120));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
