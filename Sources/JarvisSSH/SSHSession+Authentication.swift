internal import CLibSSH2
import JarvisCore

extension SSHSession {
    /// Logs in as `host.user` with the host's key file, or else the ssh-agent.
    ///
    /// Wraps `libssh2_userauth_publickey_fromfile_ex` (ed25519, ECDSA and RSA key files in OpenSSH
    /// or PEM format; the public key is derived from the private one) and, for the agent,
    /// `libssh2_agent_init`, `libssh2_agent_set_identity_path`, `libssh2_agent_connect`,
    /// `libssh2_agent_list_identities`, `libssh2_agent_get_identity` and `libssh2_agent_userauth`.
    ///
    /// - Parameters:
    ///   - agentSocketPath: ssh-agent socket, used only when the host has no identity file.
    ///   - deadline: When to give up.
    /// - Throws: `SSHError` `.authFailed` (key refused, unreadable, no key at all), `.connectTimeout`
    ///   or `.connectFailed`.
    func authenticate(agentSocketPath: String?, deadline: ContinuousClock.Instant) throws(SSHError) {
        let user = host.user
        if let identity = host.identityFile, !identity.isEmpty {
            try perform("public key authentication as \(user) with \(identity)", .authenticate, deadline: deadline) {
                jarvis_libssh2_userauth_publickey_fromfile(session, user, nil, identity, "")
            }
        } else if let agentSocketPath {
            try authenticateWithAgent(socketPath: agentSocketPath, deadline: deadline)
        } else {
            throw SSHError(
                code: .authFailed, host: host.name, message: "no identity_file is configured and no ssh-agent (SSH_AUTH_SOCK) is available")
        }
        guard libssh2_userauth_authenticated(session) == 1 else {
            throw SSHError(code: .authFailed, host: host.name, message: "the server did not confirm authentication as \(user)")
        }
    }

    private func authenticateWithAgent(socketPath: String, deadline: ContinuousClock.Instant) throws(SSHError) {
        let user = host.user
        guard let agent = libssh2_agent_init(session) else {
            throw SSHError(code: .authFailed, host: host.name, message: "libssh2_agent_init failed")
        }
        defer { libssh2_agent_free(agent) }
        libssh2_agent_set_identity_path(agent, socketPath)
        try perform("connecting to the ssh-agent at \(socketPath)", .authenticate, deadline: deadline) { libssh2_agent_connect(agent) }
        defer { libssh2_agent_disconnect(agent) }
        try perform("listing ssh-agent identities", .authenticate, deadline: deadline) { libssh2_agent_list_identities(agent) }
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var lastError: SSHError?
        while true {
            var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
            let end = try perform("reading an ssh-agent identity", .authenticate, deadline: deadline) {
                libssh2_agent_get_identity(agent, &identity, previous)
            }
            guard end == 0, let identity else { break }
            do {
                try perform("ssh-agent authentication as \(user)", .authenticate, deadline: deadline) {
                    libssh2_agent_userauth(agent, user, identity)
                }
                return
            } catch  where error.code == .authFailed {
                lastError = error
                previous = identity
            }
        }
        throw lastError ?? SSHError(code: .authFailed, host: host.name, message: "the ssh-agent at \(socketPath) holds no identity")
    }
}
