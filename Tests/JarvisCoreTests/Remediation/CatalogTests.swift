import Foundation
import Testing

@testable import JarvisCore

@Suite struct CatalogParameterPatternTests {
    @Test(arguments: ["nginx", "grafana", "postgres-jarvis", "web_1", "a", "A.b-c_d", String(repeating: "x", count: 128)])
    func containerNamesThatDockerAllowsMatch(_ value: String) {
        #expect(ParameterPattern.container.mismatch(value) == nil)
    }

    @Test(arguments: [
        ("", "empty"),
        ("nginx; reboot", "';' (U+003B) is never allowed"),
        ("$(reboot)", "'$' (U+0024) is never allowed"),
        ("`reboot`", "'`' (U+0060) is never allowed"),
        ("nginx\nreboot", "U+000A is never allowed"),
        ("../etc", "'/' (U+002F) is never allowed"),
        ("..", "contains '..'"),
        (".hidden", "'.' (U+002E) may not start a container"),
        ("a/../b", "'/' (U+002F) is never allowed"),
        ("a..b", "contains '..'"),
        ("nginx web", "U+0020 is never allowed"),
        ("'nginx'", "''' (U+0027) is never allowed"),
        ("\"nginx\"", "'\"' (U+0022) is never allowed"),
        ("a|b", "'|' (U+007C) is never allowed"),
        ("a&b", "'&' (U+0026) is never allowed"),
        ("a>b", "'>' (U+003E) is never allowed"),
        ("a\\b", "'\\' (U+005C) is never allowed"),
        ("-rm", "starts with '-'"),
        ("--volumes", "starts with '-'"),
        ("ngin\u{0445}", "U+0445 is not ASCII"),  // Cyrillic х
        ("\u{FF4E}ginx", "U+FF4E is not ASCII"),  // fullwidth n
        ("ngin\u{200B}x", "U+200B is not ASCII"),  // zero-width space
        ("nginx\u{0}", "U+0000 is never allowed"),
        ("a*", "'*' (U+002A) is never allowed"),
        ("a@b", "'@' (U+0040) is not allowed in a container"),
        (String(repeating: "x", count: 129), "1 to 128 characters long, this one is 129"),
        (String(repeating: "x", count: 300), "over the limit of 256"),
    ])
    func hostileContainerValuesAreRefusedWithAReasonThatDoesNotEchoThem(_ value: String, _ fragment: String) throws {
        let reason = try #require(ParameterPattern.container.mismatch(value))
        #expect(reason.contains(fragment), "reason \(reason.debugDescription)")
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E && $0 != "…" })
    }

    @Test(arguments: ["nginx", "nginx.service", "wg-quick@wg0", "php8.2-fpm", "certbot.timer", "docker.socket", "user@1000.service"])
    func unitsMatchWithOrWithoutAnAllowedSuffix(_ unit: String) {
        #expect(ParameterPattern.unit.matches(unit))
    }

    @Test(arguments: ["reboot.target", "multi-user.target", "home.mount", "dev-sda.device", "swapfile.swap", "-.slice", "nginx service"])
    func unitsOfOtherTypesAreRefused(_ unit: String) {
        #expect(!ParameterPattern.unit.matches(unit))
    }

    @Test func interfacesAndLineCountsHaveTheirLinuxLimits() {
        #expect(ParameterPattern.interface.matches("wg0"))
        #expect(ParameterPattern.interface.matches("enp0s31f6.100"))
        #expect(ParameterPattern.interface.matches(String(repeating: "a", count: 15)))
        #expect(!ParameterPattern.interface.matches(String(repeating: "a", count: 16)))
        #expect(ParameterPattern.lines.matches("50"))
        #expect(ParameterPattern.lines.matches("9999"))
        #expect(!ParameterPattern.lines.matches("10000"))
        #expect(!ParameterPattern.lines.matches("-1"))
        #expect(!ParameterPattern.lines.matches("1e3"))
        #expect(!ParameterPattern.lines.matches("٣"))  // Arabic-Indic digit three
    }

    @Test func aCustomPatternThatAllowsUnsafeCharactersIsAProblemAndStillNeverMatchesThem() throws {
        let loose = ParameterPattern(
            firstCharacters: try #require(ASCIICharacterClass("a-z")), characters: try #require(ASCIICharacterClass("a-z;/-")), length: 1...300)
        #expect(loose.problems.contains { $0.contains("\"/;\"") })
        #expect(loose.problems.contains { $0.contains("max_length") })
        #expect(!loose.matches("a;b"))
        #expect(!loose.matches("a/b"))
        #expect(loose.matches("a-b"))
    }

    @Test func characterClassNotationIsSmallAndStrict() throws {
        let set = try #require(ASCIICharacterClass("A-Za-z0-9_.-"))
        #expect(set.contains(UInt8(ascii: "-")))
        #expect(set.contains(UInt8(ascii: "Q")))
        #expect(!set.contains(UInt8(ascii: "/")))
        #expect(!set.contains(0xC3))
        #expect(ASCIICharacterClass("z-a") == nil)
        #expect(ASCIICharacterClass("a b") == nil)
        #expect(ASCIICharacterClass("é") == nil)
        #expect(ASCIICharacterClass("") == nil)
    }
}

@Suite struct ActionCatalogTests {
    @Test func theDefaultCatalogHasNoProblems() {
        #expect(ActionCatalog.defaults.problems == [])
        #expect(ActionCatalog.defaults.duplicateNames == [])
    }

    @Test func theDefaultCatalogHasTheModestActionsOfTheIssue() {
        let names = Set(ActionCatalog.defaults.enabledNames)
        for name in [
            "docker.start", "docker.restart", "docker.ps", "docker.logs", "docker.inspect", "systemctl.restart", "systemctl.status",
            "journalctl.unit", "wireguard.restart", "docker.image-prune", "docker.builder-prune", "host.disk", "host.memory", "host.uptime",
        ] {
            #expect(names.contains(name), "\(name)")
        }
        for template in ActionCatalog.defaultTemplates {
            #expect(!template.argv.contains("--volumes"), "\(template.name)")
        }
    }

    @Test func everyDefaultCatalogCommandPassesTheDenylist() {
        for template in ActionCatalog.defaultTemplates {
            let argv = template.render(Dictionary(uniqueKeysWithValues: template.placeholderNames.map { ($0, "web1") }))
            #expect(argv.map(Denylist.check(argv:)) == .some(nil), "\(template.name)")
        }
    }

    @Test func readOnlyTemplatesAreTheDiagnosticsOnly() {
        let readOnly = ActionCatalog.defaults.readOnlyTemplates.map(\.name)
        #expect(readOnly.contains("docker.logs"))
        #expect(readOnly.contains("host.disk"))
        #expect(!readOnly.contains("docker.restart"))
        #expect(!readOnly.contains("docker.image-prune"))
    }

    @Test(arguments: [
        (["echo", "a;b"], "';' (U+003B), a shell metacharacter"),
        (["sh", "-c", "$(x)"], "'$' (U+0024), a shell metacharacter"),
        (["echo", "a b"], "U+0020, a shell metacharacter"),
        (["echo", "`id`"], "'`' (U+0060)"),
        (["echo", "x>y"], "'>' (U+003E)"),
        (["echo", "{a}{b}"], "more than one placeholder"),
        (["echo", "{a}x"], "a placeholder must end the word"),
        (["echo", "x}"], "'}' without a '{'"),
        (["echo", "{Bad}"], "parameter names are"),
        (["{program}"], "must be a literal word"),
        (["echo", ""], "empty word"),
        ([], "argv is empty"),
        (["rm", "-rf", "/var/tmp"], "denylisted: recursive forced removal"),
        (["docker", "system", "prune", "-af", "--volumes"], "denylisted: docker prune with --volumes"),
        (["systemctl", "stop", "{unit}"], "denylisted: stopping, disabling or masking a unit"),
    ])
    func aTemplateWithUnsafeOrMalformedArgvIsAProblem(argv: [String], fragment: String) {
        let parameters: [String: ParameterPattern] = argv.contains("{unit}") ? ["unit": .unit] : argv.contains("{program}") ? ["program": .unit] : [:]
        let template = CommandTemplate(name: "site.bad", argv: argv, parameters: parameters, risk: .low, kind: .acting)
        #expect(template.problems.contains { $0.contains(fragment) }, "problems: \(template.problems)")
        let catalog = ActionCatalog.defaults.merging(overrides: CatalogOverrides(templates: [template]))
        #expect(catalog.problems.contains { $0.action == "site.bad" })
    }

    @Test func placeholdersAndParametersMustAgree() {
        let undeclared = CommandTemplate(name: "a.b", argv: ["docker", "restart", "{container}"], risk: .low, kind: .acting)
        #expect(undeclared.problems == ["placeholder {container} has no parameter pattern"])
        let unused = CommandTemplate(
            name: "a.b", argv: ["docker", "ps"], parameters: ["container": .container], risk: .low, kind: .readOnly)
        #expect(unused.problems == ["parameter container is declared but not used in argv"])
        let badName = CommandTemplate(name: "Docker Restart", argv: ["docker", "ps"], risk: .low, kind: .readOnly)
        #expect(badName.problems.contains { $0.contains("the name must be") })
        let prefixed = CommandTemplate(
            name: "a.b", argv: ["systemctl", "restart", "wg-quick@{interface}"], parameters: ["interface": .interface], risk: .medium,
            kind: .acting)
        #expect(prefixed.problems == [])
        #expect(prefixed.render(["interface": "wg0"]) == ["systemctl", "restart", "wg-quick@wg0"])
    }

    @Test func mergingAddsReplacesAndDisablesAndFlagsTypos() throws {
        let reload = CommandTemplate(name: "nginx.reload", argv: ["systemctl", "reload", "nginx"], risk: .low, kind: .acting)
        let gentlerRestart = CommandTemplate(
            name: "docker.restart", argv: ["docker", "restart", "--time", "30", "{container}"], parameters: ["container": .container],
            risk: .medium, kind: .acting)
        let merged = ActionCatalog.defaults.merging(
            overrides: CatalogOverrides(disable: ["docker.builder-prune", "docker.buidler-prune"], templates: [reload, gentlerRestart]))
        #expect(merged.template(named: "nginx.reload") == reload)
        #expect(merged.template(named: "docker.restart")?.risk == .medium)
        #expect(merged.isDisabled("docker.builder-prune"))
        #expect(!merged.enabledNames.contains("docker.builder-prune"))
        #expect(merged.problems == [CatalogProblem(action: "docker.buidler-prune", message: "is disabled but no such action exists")])
        #expect(ActionCatalog.defaults.template(named: "nginx.reload") == nil)
    }

    @Test func aNameDefinedTwiceIsAProblem() {
        let one = CommandTemplate(name: "x.y", argv: ["uptime"], risk: .low, kind: .readOnly)
        let catalog = ActionCatalog(templates: [one, one])
        #expect(catalog.problems.map(\.message) == ["is defined more than once; the last definition is used"])
    }

    @Test func overridesDecodeFromConfigurationWithBuiltInAndCustomPatterns() throws {
        let json = """
            {"disable": ["certbot.renew"],
             "templates": [
               {"name": "nginx.reload", "argv": ["systemctl", "reload", "{unit}"], "parameters": {"unit": "unit"}, "risk": "low"},
               {"name": "site.purge", "argv": ["varnishadm", "ban", "req.http.host", "==", "{site}"],
                "parameters": {"site": {"characters": "a-z0-9.-", "first_characters": "a-z", "max_length": 63}}, "kind": "acting"}
             ]}
            """
        let overrides = try JSONDecoder().decode(CatalogOverrides.self, from: Data(json.utf8))
        #expect(overrides.disable == ["certbot.renew"])
        let reload = try #require(overrides.templates.first)
        #expect(reload.parameters["unit"] == .unit)
        #expect(reload.kind == .acting)  // the default kind: never assumed harmless
        let purge = try #require(overrides.templates.last)
        #expect(purge.risk == .medium)  // the default risk
        #expect(purge.parameters["site"]?.length == 1...63)
        #expect(purge.problems == [])
        #expect(ActionCatalog.defaults.merging(overrides: overrides).problems == [])

        let roundTrip = try JSONDecoder().decode(CatalogOverrides.self, from: JSONEncoder().encode(overrides))
        #expect(roundTrip == overrides)
    }

    @Test func anUnknownBuiltInPatternOrABadClassFailsToDecode() {
        let unknown = #"{"name": "a.b", "argv": ["x", "{v}"], "parameters": {"v": "anything"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CommandTemplate.self, from: Data(unknown.utf8)) }
        let badClass = #"{"name": "a.b", "argv": ["x", "{v}"], "parameters": {"v": {"characters": "z-a", "max_length": 3}}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CommandTemplate.self, from: Data(badClass.utf8)) }
    }
}
