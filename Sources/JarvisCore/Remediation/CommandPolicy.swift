/// The gate every command passes before it runs, whoever proposed it (a learned pattern, a
/// seed, the LLM, a person): a proposal becomes an exact argv on a named host, or a reason why not.
///
/// ## Order of checks, and why
///
/// 1. **Host.** A proposal that names a host must name the one it will run on; the caller
///    resolves the target (the proposal's host or the alert's routed host) and passes it.
/// 2. **Catalog.** The action must be a template of the host's catalog (`catalog(forHost:)`:
///    the defaults with the site's and host's `CatalogOverrides`), not disabled there, and
///    free of `CommandTemplate.problems`. This is the allowlist, and it comes first because it
///    is the real guarantee: anything that is not a catalog action is rejected, so the policy
///    never has to recognise what is dangerous, only what is known.
/// 3. **Parameters.** Every placeholder has a value, no value is given for a parameter the
///    template does not have, and every value full-matches its `ParameterPattern` (plus the
///    universal rules: ASCII letters, digits and `@_.:+=,%-` only, no leading `-`, no `..`,
///    at most 256 bytes). So `;`, `$(…)`, backticks, newlines, `../`, spaces, quotes, `|`, `&`,
///    `>`, look-alike Unicode letters and empty values never pass. A value fills exactly one
///    argv element; the SSH executor quotes each element (`ShellQuoting`), and the local
///    executor runs the argv without a shell.
/// 4. **Denylist,** on the final argv (`Denylist.check(argv:)`), as defence in depth: if a
///    configured template or a future change ever let `rm -rf`, `docker … prune --volumes`,
///    `systemctl stop` or the like through steps 2–3, it is still refused here. It runs on
///    the rendered argv, not on the template, because that is what would execute.
/// 5. **Units,** for acting systemctl/service commands: each unit must be a `.service` (written
///    or implied; never a target, socket, mount, timer…), and never a core unit (`CoreUnits`:
///    reboot and power-off units, systemd's daemons, D-Bus, sessions and consoles, sshd,
///    init), on any host. Every spelling counts (`UnitName`: case, trailing dots, `\x2d`).
/// 6. **Protected targets.** A command that acts (restart, start, stop…) on jarvis itself
///    (`jarvis*`), its database (`postgres-jarvis`, configured names) or, on the host jarvis
///    runs on, its Docker daemon, network or database units (`PolicyContext`) is rejected:
///    a remediation must not cut off the remediator. This comes after the denylist because
///    it needs a well-formed argv to know the target, and it never allows what the
///    denylist refused.
/// 7. **Risk.** A command whose template risk is at least `PolicyContext.approvalRisk` (`high`)
///    is not run: the verdict is `needsApproval`, and a person may run `jarvis approve ID`.
///    An acting command whose parameter names a unit or container that neither the alert's
///    labels nor the host's inventory name (`PolicyContext.namedTargets`) is high risk too:
///    a proposal may not pick a target out of thin air. A learned pattern binds label
///    values only, so this never holds back a learned fix.
///    Risk comes last so that approval is only ever asked for a command that passed every
///    other rule: a person is never asked to approve something jarvis would refuse anyway.
///
/// Rate limits (`ActionBudget`) are applied by the caller after an `allowed` verdict, since
/// they depend on what is in flight, not on the command. Every rejection carries a
/// `PolicyRejection.Code` and a message safe to log: untrusted values are described, never
/// echoed raw. The policy is a pure function of its inputs.
public struct CommandPolicy: Sendable, Equatable {
    /// The catalog for every host before host overrides.
    public var catalog: ActionCatalog
    /// Per-host catalog changes, by inventory host name.
    public var hostOverrides: [String: CatalogOverrides]

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - catalog: The catalog for every host (the defaults, with the site's overrides applied).
    ///   - hostOverrides: Per-host changes, by inventory host name.
    public init(catalog: ActionCatalog = .defaults, hostOverrides: [String: CatalogOverrides] = [:]) {
        self.catalog = catalog
        self.hostOverrides = hostOverrides
    }

    /// The catalog that applies on one host.
    ///
    /// - Parameter host: An inventory host name.
    public func catalog(forHost host: String) -> ActionCatalog {
        guard let overrides = hostOverrides[host] else { return catalog }
        return catalog.merging(overrides: overrides)
    }

    /// Resolves a proposal for a host and decides whether it may run.
    ///
    /// - Parameters:
    ///   - proposal: The untrusted proposal.
    ///   - host: The inventory host it would run on (the proposal's host, or the alert's routed host).
    ///   - context: Protected names, whether `host` is jarvis's own, and the approval threshold.
    /// - Returns: `.allowed` with the exact argv, `.needsApproval` for a high-risk command, or
    ///   `.rejected` with the rule and a reason.
    public func evaluate(_ proposal: ActionProposal, host: String, context: PolicyContext) -> PolicyVerdict {
        if let named = proposal.host, named != host {
            return reject(.hostMismatch, "the proposal names host \(Self.describe(named)) but would run on \(Self.describe(host))")
        }
        let catalog = catalog(forHost: host)
        guard let template = catalog.template(named: proposal.action) else {
            return reject(.unknownAction, "no catalog action is named \(Self.describe(proposal.action))")
        }
        if catalog.isDisabled(template.name) {
            return reject(.actionDisabled, "action \(template.name) is disabled on host \(Self.describe(host))")
        }
        if let problem = template.problems.first {
            return reject(.invalidTemplate, "action \(template.name) is misconfigured: \(problem)")
        }

        let placeholders = template.placeholderNames
        let missing = placeholders.filter { proposal.parameters[$0] == nil }
        if !missing.isEmpty {
            return reject(.missingParameter, "action \(template.name) needs \(missing.joined(separator: ", ")), which the proposal does not give")
        }
        let unknown = proposal.parameters.keys.filter { template.parameters[$0] == nil }.sorted()
        if !unknown.isEmpty {
            return reject(
                .unknownParameter,
                "action \(template.name) has no parameter \(unknown.map { Self.describe($0) }.joined(separator: ", "))"
                    + " (it takes \(placeholders.isEmpty ? "none" : placeholders.joined(separator: ", ")))")
        }
        for name in placeholders {
            guard let pattern = template.parameters[name], let value = proposal.parameters[name] else { continue }
            if let mismatch = pattern.mismatch(value) {
                return reject(.invalidParameter, "action \(template.name), parameter \(name): \(mismatch)")
            }
        }

        guard let argv = template.render(proposal.parameters) else {
            return reject(.invalidTemplate, "action \(template.name) could not be rendered")
        }
        if let reason = Denylist.check(argv: argv) {
            return reject(.denylisted, "action \(template.name) resolves to a denied command: \(reason)")
        }
        if let rejection = Self.unitRule(argv: argv) {
            return reject(rejection.code, "action \(template.name): \(rejection.message)")
        }
        if let reason = Self.protectedTarget(argv: argv, context: context) {
            return reject(.protectedTarget, "action \(template.name): \(reason)")
        }

        let values = proposal.parameters.filter { placeholders.contains($0.key) }
        let command = ResolvedCommand(
            action: template.name, argv: argv, parameters: values, risk: template.risk, kind: template.kind, host: host)
        if template.risk >= context.approvalRisk {
            return .needsApproval(command, reason: "action \(template.name) is \(template.risk) risk: a person must approve it (jarvis approve)")
        }
        if template.kind == .acting, let unnamed = placeholders.first(where: { values[$0].map { !context.names($0) } ?? false }) {
            return .needsApproval(
                command,
                reason:
                    "action \(template.name) is high risk: its \(unnamed) \(Self.describe(values[unnamed] ?? "")) is named neither by the alert's labels nor by the host's inventory (units:, containers:); a person must approve it (jarvis approve)"
            )
        }
        return .allowed(command)
    }

    /// Resolves a proposal for an inventory host; a `local` host counts as the jarvis host.
    ///
    /// - Parameters:
    ///   - proposal: The untrusted proposal.
    ///   - host: The inventory host it would run on.
    ///   - context: Protected names and the approval threshold; `targetIsJarvisHost` is set
    ///     when `host.local` is true.
    /// - Returns: As `evaluate(_:host:context:)`.
    public func evaluate(_ proposal: ActionProposal, host: HostDefinition, context: PolicyContext) -> PolicyVerdict {
        var context = context
        if host.local { context.targetIsJarvisHost = true }
        return evaluate(proposal, host: host.name, context: context)
    }

    private func reject(_ code: PolicyRejection.Code, _ message: String) -> PolicyVerdict {
        .rejected(PolicyRejection(code: code, message: message))
    }

    /// An untrusted name for a message: at most 64 characters, quoted and escaped.
    static func describe(_ untrusted: String) -> String {
        let scalars = untrusted.unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.prefix(64)))
        return head.debugDescription + (scalars.count > 64 ? "…" : "")
    }
}
