import Foundation
import JarvisCore
import Testing

@Suite struct HostDefinitionTests {
    @Test func decodesSnakeCaseKeysAndFillsDefaults() throws {
        let json = """
            [
              {"name": "web1", "address": "127.0.0.1"},
              {"name": "db1", "address": "127.0.0.2", "port": 2222, "user": "ops",
               "identity_file": "/etc/jarvis/id_ed25519", "known_hosts_file": "/etc/jarvis/known_hosts",
               "routes": {"labels": {"host": ["db1.example"], "system": ["pg"]}, "instance_prefixes": ["db1:"]},
               "parents": ["rack1"], "local": true}
            ]
            """
        let hosts = try JSONDecoder().decode([HostDefinition].self, from: Data(json.utf8))
        #expect(hosts[0] == HostDefinition(name: "web1", address: "127.0.0.1"))
        #expect(hosts[0].port == 22)
        #expect(hosts[0].user == "root")
        #expect(hosts[0].parents.isEmpty)
        #expect(hosts[0].local == false)
        #expect(hosts[0].routes == HostRoutes())
        #expect(
            hosts[1]
                == HostDefinition(
                    name: "db1", address: "127.0.0.2", port: 2222, user: "ops", identityFile: "/etc/jarvis/id_ed25519",
                    knownHostsFile: "/etc/jarvis/known_hosts",
                    routes: HostRoutes(labels: ["host": ["db1.example"], "system": ["pg"]], instancePrefixes: ["db1:"]),
                    parents: ["rack1"], local: true))
    }

    @Test func encodesWithSnakeCaseKeysAndRoundTrips() throws {
        let host = HostDefinition(
            name: "db1", address: "127.0.0.1", port: 2200, identityFile: "/k", knownHostsFile: "/kh",
            routes: HostRoutes(labels: ["host": ["db1"]], instancePrefixes: ["db1:"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(host)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"identity_file\":\"\\/k\""))
        #expect(text.contains("\"known_hosts_file\":\"\\/kh\""))
        #expect(text.contains("\"instance_prefixes\":[\"db1:\"]"))
        #expect(try JSONDecoder().decode(HostDefinition.self, from: data) == host)
    }

    @Test func missingAddressIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HostDefinition.self, from: Data(#"{"name": "x"}"#.utf8))
        }
    }
}
