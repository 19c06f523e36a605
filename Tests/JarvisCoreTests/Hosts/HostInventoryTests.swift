import JarvisCore
import Testing

@Suite struct HostInventoryTests {
    static let inventory = HostInventory(hosts: [
        HostDefinition(name: "web1", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["10.0.0.7:"])),
        HostDefinition(
            name: "db1", address: "127.0.0.1", port: 2222,
            routes: HostRoutes(labels: ["system": ["postgres-main"], "host": ["db1.example.net"], "cluster": ["pgc"]])),
        HostDefinition(name: "jarvis", address: "127.0.0.1", local: true),
    ])

    @Test func aValidInventoryHasNoProblems() {
        #expect(Self.inventory.validate().isEmpty)
    }

    @Test func reportsEachProblemWithItsKeyPath() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "a", address: "127.0.0.1", parents: ["ghost"]),
            HostDefinition(name: "a", address: "", port: 0),
            HostDefinition(name: "c", address: "127.0.0.1", port: 70_000, user: "", parents: ["c"], local: true),
            HostDefinition(name: "", address: "127.0.0.1", local: true),
        ])
        let paths = inventory.validate().map(\.path)
        #expect(
            paths == [
                "hosts[1].name", "hosts[1].address", "hosts[1].port", "hosts[2].port", "hosts[2].user", "hosts[3].name",
                "hosts[0].parents[0]", "hosts[2].parents[0]", "hosts[3].local",
            ])
        let problems = inventory.validate()
        #expect(problems[0].message.contains("duplicate host name \"a\" (first at hosts[0])"))
        #expect(problems[3].description == "hosts[2].port: port 70000 is outside 1...65535")
        #expect(problems[6].message.contains("\"ghost\""))
    }

    @Test func findsParentCyclesOnce() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "root", address: "127.0.0.1"),
            HostDefinition(name: "b", address: "127.0.0.1", parents: ["c", "root"]),
            HostDefinition(name: "c", address: "127.0.0.1", parents: ["d"]),
            HostDefinition(name: "d", address: "127.0.0.1", parents: ["b"]),
        ])
        let problems = inventory.validate()
        #expect(problems == [InventoryProblem(path: "hosts[1].parents", message: "parent cycle: b → c → d → b")])
    }

    @Test func aRouteValueClaimedByTwoHostsIsAProblem() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "a", address: "127.0.0.1", routes: HostRoutes(labels: ["system": ["pg"]])),
            HostDefinition(name: "b", address: "127.0.0.1", routes: HostRoutes(labels: ["system": ["pg", ""]], instancePrefixes: [""])),
        ])
        #expect(
            inventory.validate().map(\.path) == [
                "hosts[1].routes.labels.system[0]", "hosts[1].routes.labels.system[1]", "hosts[1].routes.instance_prefixes[0]",
            ])
    }

    @Test(arguments: [
        (["remediation_host": "db1", "instance": "web1:9100"], HostRouting.host("db1")),
        (["host": "db1.example.net"], .host("db1")),
        (["host": "web1"], .host("web1")),
        (["system": "postgres-main"], .host("db1")),
        (["instance": "web1:9100"], .host("web1")),
        (["instance": "10.0.0.7:9100"], .host("web1")),
        (["instance": "web1"], .host("web1")),
        (["cluster": "pgc"], .host("db1")),
        (["alertname": "Down", "severity": "page"], .none),
    ])
    func routesByTheStrongestLabelPresent(labels: [String: String], expected: HostRouting) {
        #expect(Self.inventory.route(labels: labels) == expected)
    }

    @Test func aLabelNamingAnUnknownHostIsUnroutableNeverADefault() {
        let routing = Self.inventory.route(labels: ["host": "ghost", "instance": "web1:9100"])
        #expect(routing == .unroutable(reason: "label host=\"ghost\" names no host of the inventory"))
        #expect(Self.inventory.route(labels: ["instance": "unknown:9100"]) != .none)
        #expect(Self.inventory.route(labels: ["remediation_host": "jarvis2"]) != .host("jarvis"))
    }

    @Test func aLabelMatchingTwoHostsIsUnroutable() {
        let inventory = HostInventory(hosts: [
            HostDefinition(name: "a", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["node"])),
            HostDefinition(name: "b", address: "127.0.0.1", routes: HostRoutes(instancePrefixes: ["node1"])),
        ])
        #expect(
            inventory.route(labels: ["instance": "node1:9100"]) == .unroutable(reason: "label instance=\"node1:9100\" matches several hosts: a, b"))
    }

    @Test func customRouteLabelsComeAfterTheWellKnownOnes() {
        #expect(Self.inventory.routingLabelOrder() == ["remediation_host", "host", "system", "instance", "cluster"])
    }
}
