package io.kprom.standalone;

import io.kprom.common.config.ConfigException;
import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.promql.rules.RuleChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kprom check config|rules FILE...}, with promtool's output and exit codes (0 valid, 1 invalid). */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate configuration or rule files like promtool check.",
        subcommands = {CheckCommand.Config.class, CheckCommand.Rules.class})
class CheckCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("kprom check: missing subcommand (config or rules)");
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "Check prometheus.yml files, the rule files and credential files they reference.")
    static final class Config implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "prometheus.yml files")
        List<Path> files;

        @Override
        public Integer call() {
            int code = 0;
            for (Path file : files) {
                System.out.println("Checking " + file);
                PrometheusConfig config;
                try {
                    config = PrometheusConfig.load(file);
                } catch (ConfigException e) {
                    System.err.println("  FAILED: " + e.getMessage());
                    code = 1;
                    continue;
                }
                List<String> missing = missingCredentialFiles(config);
                if (!missing.isEmpty()) {
                    missing.forEach(m -> System.err.println("  FAILED: " + m));
                    code = 1;
                    continue;
                }
                System.out.println(" SUCCESS: " + file + " is valid prometheus config file syntax");
                List<Path> ruleFiles;
                try {
                    ruleFiles = config.resolvedRuleFiles();
                } catch (ConfigException e) {
                    System.err.println("  FAILED: " + e.getMessage());
                    code = 1;
                    continue;
                }
                if (!ruleFiles.isEmpty()) {
                    System.out.println();
                    code = Math.max(code, RuleChecker.run(ruleFiles, System.out, System.err));
                }
            }
            return code;
        }

        private static List<String> missingCredentialFiles(PrometheusConfig config) {
            List<String> problems = new ArrayList<>();
            for (ScrapeConfig job : config.scrapeConfigs()) {
                HttpClientConfig http = job.httpClientConfig();
                List<String> files = new ArrayList<>();
                if (http.basicAuth() != null) {
                    files.add(http.basicAuth().passwordFile());
                }
                if (http.authorization() != null) {
                    files.add(http.authorization().credentialsFile());
                }
                files.add(http.tlsConfig().caFile());
                files.add(http.tlsConfig().certFile());
                files.add(http.tlsConfig().keyFile());
                for (String file : files) {
                    if (file != null && !Files.isReadable(Path.of(file))) {
                        problems.add("error checking job \"" + job.jobName() + "\": file \"" + file + "\" does not exist or is not readable");
                    }
                }
            }
            return problems;
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "Check rule files.")
    static final class Rules implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "rule files")
        List<Path> files;

        @Override
        public Integer call() {
            return RuleChecker.run(files, System.out, System.err);
        }
    }
}
