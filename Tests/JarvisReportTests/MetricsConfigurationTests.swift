import Foundation
import JarvisJobs
import JarvisTestSupport
import Testing

/// `metrics_dir`: a top-level key, overridden by `JARVIS_METRICS_DIR`; unset means no metrics.
@Suite struct MetricsConfigurationTests {
    @Test func metricsDirComesFromTheFileAndTheEnvironmentWins() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("jarvis.yml")
        try "metrics_dir: /var/lib/prometheus/node-exporter\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try ConfigurationLoader(environment: [:]).load(ConfigurationOverrides(configFile: file))
        #expect(fromFile.metricsDir == "/var/lib/prometheus/node-exporter")
        let fromEnv = try ConfigurationLoader(environment: ["JARVIS_METRICS_DIR": dir.file("m")]).load(ConfigurationOverrides(configFile: file))
        #expect(fromEnv.metricsDir == dir.file("m"))
        #expect(try ConfigurationLoader(environment: [:]).load(ConfigurationOverrides()).metricsDir == nil)
        #expect(MetricsWriter.configured(try ConfigurationLoader(environment: [:]).load(ConfigurationOverrides())) == nil)
    }

    @Test func anEmptyMetricsDirIsAProblemWithItsKey() throws {
        let dir = try TemporaryDirectory()
        let file = dir.file("jarvis.yml")
        try "metrics_dir: ''\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (_, problems) = ConfigurationLoader(environment: [:]).loadReportingProblems(ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.keyPath) == ["metrics_dir"])
    }
}
