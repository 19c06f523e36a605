extension CommandPolicy {
    /// Why an acting systemctl/service argv may not run on any host, or nil: a unit that is
    /// not a service, or a core unit (`CoreUnits`).
    ///
    /// - Parameter argv: The final argv.
    static func unitRule(argv: [String]) -> PolicyRejection? {
        guard let (verb, units) = actedUnits(argv: argv) else { return nil }
        for unit in units {
            let name = UnitName(unit)
            if !name.isService {
                return PolicyRejection(
                    code: .unitType, message: "unit \(describe(unit)) is a .\(name.type) unit: jarvis only \(verb)s services")
            }
            if let reason = CoreUnits.reason(name) {
                return PolicyRejection(code: .coreUnit, message: "unit \(describe(unit)) is a core unit (\(reason)): jarvis never \(verb)s it")
            }
        }
        return nil
    }
}
