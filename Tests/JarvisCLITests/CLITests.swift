import Foundation
import JarvisTestSupport
import Testing

/// The built binary, run as systemd or a person would: stdout, stderr, exit codes.
@Suite struct CLITests {
    @Test func helpListsEverySubcommandWithItsPurpose() throws {
        let result = try JarvisProcess.run(["--help"])
        #expect(result.exitCode == 0)
        for (command, purpose) in [
            ("ingest", "Record the alerts"), ("drain", "Replay the journal"), ("enqueue", "Drop an Alertmanager"),
            ("status", "healthy, degraded"), ("migrate", "Create or upgrade"), ("check-config", "Validate the configuration"),
        ] {
            #expect(result.stdout.contains(command), "no \(command) in --help")
            #expect(result.stdout.contains(purpose), "no purpose for \(command)")
        }
        #expect(result.stdout.contains("Exit codes"))
    }

    @Test func badConfigurationExits78WithOneLineAndNoTrace() throws {
        let dir = try TemporaryDirectory()
        let config = dir.file("jarvis.yml")
        try """
        spool_dir: 42
        postgres:
          connect_timeout: soon
        ingest:
          max_file_size: huge
          colour: blue
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try JarvisProcess.run(["ingest", "--config", config, "--state-dir", dir.file("state")])
        #expect(result.exitCode == 78)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("run `jarvis check-config`"))
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack"))

        let check = try JarvisProcess.run(["check-config", "--config", config])
        #expect(check.exitCode == 78)
        for path in [
            "spool_dir: expected text", "postgres.connect_timeout: expected a whole number", "ingest.max_file_size: expected a size",
            "ingest.colour: unknown setting",
        ] {
            #expect(check.stderr.contains(path), "missing \(path) in: \(check.stderr)")
        }
    }

    @Test func missingConfigFileNamedExplicitlyIsAConfigError() throws {
        let result = try JarvisProcess.run(["status", "--config", "/nonexistent/jarvis.yml"])
        #expect(result.exitCode == 78)
        #expect(result.stderr.contains("/nonexistent/jarvis.yml: no such file"))
    }

    @Test func invalidYAMLIsAConfigError() throws {
        let dir = try TemporaryDirectory()
        try "spool_dir: [unclosed\n".write(toFile: dir.file("c.yml"), atomically: true, encoding: .utf8)
        let result = try JarvisProcess.run(["check-config", "--config", dir.file("c.yml")])
        #expect(result.exitCode == 78)
        #expect(result.stderr.contains("not valid YAML"))
    }

    @Test func exampleConfigsAreValid() throws {
        for name in ["jarvis-embedded.yml", "jarvis-postgres.yml", "jarvis-demo.yml", "cascade-spec-defaults.yml"] {
            let path = Fixtures.repositoryRoot.appendingPathComponent("examples/\(name)").path
            let result = try JarvisProcess.run(["check-config", "--config", path])
            #expect(result.exitCode == 0, "\(name): \(result.stderr)")
        }
    }

    @Test func secretsFromTheEnvironmentNeverPrint() throws {
        let result = try JarvisProcess.run(["check-config"], environment: ["DATABASE_URL": "postgresql://jarvis:hunter2@127.0.0.1:1/jarvis"])
        #expect(result.exitCode == 0)
        #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"))
        #expect(result.stdout.contains("PostgreSQL"))
    }

    @Test func credentialsDirectoryProvidesTheDatabaseURL() throws {
        let dir = try TemporaryDirectory()
        try "postgresql://jarvis@127.0.0.1:1/jarvis\n".write(toFile: dir.file("database_url"), atomically: true, encoding: .utf8)
        let result = try JarvisProcess.run(["check-config"], environment: ["CREDENTIALS_DIRECTORY": dir.path])
        #expect(result.stdout.contains("store:  PostgreSQL"))
    }

    @Test func enqueueFromStdinThenIngestEmbeddedThenStatus() throws {
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")]
        let body = try Fixtures.payload("07-alertmanager-0.25-captured-here.json")
        let enqueue = try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: body)
        #expect(enqueue.exitCode == 0, "\(enqueue.stderr)")
        let ingest = try JarvisProcess.run(["ingest", "--list"], environment: env)
        #expect(ingest.exitCode == 0)
        #expect(ingest.stdout.contains("1 alert → 1 new"))
        #expect(ingest.stdout.contains("JarvisTestDiskFull/web1:9100"))
        let status = try JarvisProcess.run(["status", "--json"], environment: env)
        #expect(status.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "embedded")
        let runs = try #require(object["last_runs"] as? [[String: Any]])
        #expect(runs.first?["command"] as? String == "ingest")
        #expect(runs.first?["result"] as? String == "ok")
        // One occurrence and one alert key: two triage state rows.
        #expect((object["triage"] as? [String: Any])?["state_rows"] as? Int == 2)
        let text = try JarvisProcess.run(["status"], environment: env)
        #expect(text.stdout.contains("triage:  2 state rows"), "\(text.stdout)")
    }

    @Test func enqueueRefusesAnEmptyOrMissingPayload() throws {
        let dir = try TemporaryDirectory()
        let env = ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")]
        #expect(try JarvisProcess.run(["enqueue", "-"], environment: env, stdin: Data()).exitCode == 65)
        let missing = try JarvisProcess.run(["enqueue", dir.file("nope.json")], environment: env)
        #expect(missing.exitCode == 65)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test func unwritableSpoolIsAnIOErrorNotACrash() throws {
        let result = try JarvisProcess.run(
            ["ingest"],
            environment: ["JARVIS_SPOOL_DIR": "/proc/jarvis-spool", "JARVIS_STATE_DIR": NSTemporaryDirectory() + "/jarvis-state-\(getpid())"])
        #expect(result.exitCode == 74)
        #expect(result.stderr.contains("spool:"))
    }

    @Test func drainInEmbeddedModeSaysThereIsNothingToDo() throws {
        let dir = try TemporaryDirectory()
        let result = try JarvisProcess.run(["drain"], environment: ["JARVIS_SPOOL_DIR": dir.file("spool"), "JARVIS_STATE_DIR": dir.file("state")])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("embedded mode"))
    }
}
