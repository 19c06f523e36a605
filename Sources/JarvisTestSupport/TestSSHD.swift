import Foundation
import JarvisCore

/// A real OpenSSH server for tests: `/usr/sbin/sshd` on 127.0.0.1 at a free high port, with its
/// own host key, config, pid file, log and client key pair, logging in one test user.
///
/// Setup facts (see shared/docs/test-services.md): sshd must be started by its absolute path;
/// as root it needs `/run/sshd`; the test user's password field must be `*` (not locked `!`)
/// for key logins with `UsePAM no`; StrictModes wants `authorized_keys` under the user's
/// `~/.ssh` (700) with mode 600. Each server writes its own `~/.ssh/authorized_keys_jarvis_<port>`
/// so that servers running side by side never share a file.
///
/// Every test starts its own server (about 0.1 s) and calls `stop()`; deinit stops it too.
/// sshd is started with `SpawnedProcess`, not Foundation's `Process` (see there why).
public final class TestSSHD: @unchecked Sendable {
    /// Loopback address the server listens on.
    public let address = "127.0.0.1"
    /// The port it listens on (also every port of `extraPorts`).
    public let port: Int
    /// More ports the same server listens on.
    public let extraPorts: [Int]
    /// The login user.
    public let user: String
    /// known_hosts file holding `[127.0.0.1]:PORT ssh-ed25519 …` for every port.
    public let knownHostsFile: String
    /// Private key the server accepts (ed25519, no passphrase).
    public let clientIdentityFile: String
    /// The server's host public key line, `ssh-ed25519 AAAA… comment`.
    public let hostPublicKey: String
    /// `SHA256:…` fingerprint of the host key, as `ssh-keygen -lf` prints it.
    public let hostKeyFingerprint: String
    /// Working folder: keys, config, log.
    public let directory: String
    /// sshd's log file (`-E`).
    public let logFile: String
    /// The authorized_keys file this server reads, in the user's ~/.ssh.
    public let authorizedKeysFile: String

    private var process: SpawnedProcess
    private let configFile: String
    private let lock = NSLock()
    private var stopped = false

    /// The test user every server logs in.
    public static let testUser = "jarvistest"
    /// Where sshd lives on Debian.
    /// `JARVIS_TEST_SSHD` replaces it, e.g. with a path that does not exist to prove that
    /// under `CI=true` a server that cannot start fails the tests instead of skipping them.
    public static let sshdPath = ProcessInfo.processInfo.environment["JARVIS_TEST_SSHD"] ?? "/usr/sbin/sshd"

    /// True when this machine can run the test server: sshd and ssh-keygen installed and
    /// running as root (to create the user and the privilege separation folder).
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: sshdPath) && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")
            && getuid() == 0
    }

    /// Starts a server, retrying on another port if the chosen one was taken meanwhile.
    ///
    /// - Parameters:
    ///   - port: The main port to listen on (e.g. one a host of a test inventory already uses);
    ///     nil picks a free one. A given port is tried once, not replaced.
    ///   - extraPortCount: How many more ports the server should also listen on.
    ///   - extraConfig: Lines appended to sshd_config.
    /// - Throws: `TestCommand.Failure` or `TestSSHD.StartFailure` when it cannot start.
    public static func start(port: Int? = nil, extraPortCount: Int = 0, extraConfig: [String] = []) throws -> TestSSHD {
        try prepareMachine()
        var lastError: (any Error)?
        for _ in 0..<(port == nil ? 3 : 1) {
            do {
                return try TestSSHD(port: port, extraPortCount: extraPortCount, extraConfig: extraConfig)
            } catch let error as StartFailure {
                lastError = error
            }
        }
        throw lastError ?? StartFailure(message: "sshd did not start")
    }

    /// The server did not come up.
    public struct StartFailure: Error, CustomStringConvertible {
        /// What happened, with the tail of sshd's log.
        public var message: String
        /// Same as `message`.
        public var description: String { message }
    }

    private init(port fixedPort: Int?, extraPortCount: Int, extraConfig: [String]) throws {
        let fileManager = FileManager.default
        let directory = try Self.makeTemporaryDirectory()
        self.directory = directory
        user = Self.testUser
        port = try fixedPort ?? LoopbackPorts.freePort()
        var extra: [Int] = []
        for _ in 0..<extraPortCount { extra.append(try LoopbackPorts.freePort()) }
        extraPorts = extra

        let hostKey = "\(directory)/ssh_host_ed25519_key"
        try TestCommand.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jarvis-test-host", "-f", hostKey])
        clientIdentityFile = "\(directory)/client_ed25519"
        try TestCommand.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "jarvis-test-client", "-f", clientIdentityFile])
        hostPublicKey = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let fingerprintLine = try TestCommand.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", hostKey + ".pub"]).stdout
        hostKeyFingerprint = fingerprintLine.split(separator: " ").dropFirst().first.map(String.init) ?? ""

        let keyParts = hostPublicKey.split(separator: " ")
        let typeAndKey = keyParts.prefix(2).joined(separator: " ")
        knownHostsFile = "\(directory)/known_hosts"
        let knownHosts = ([port] + extra).map { "[127.0.0.1]:\($0) \(typeAndKey)" }.joined(separator: "\n") + "\n"
        try knownHosts.write(toFile: knownHostsFile, atomically: true, encoding: .utf8)

        // authorized_keys in the user's ~/.ssh, one file per server.
        let home = try Self.home(of: Self.testUser)
        let keyName = "authorized_keys_jarvis_\(port)"
        authorizedKeysFile = "\(home)/.ssh/\(keyName)"
        let clientPublicKey = try String(contentsOfFile: clientIdentityFile + ".pub", encoding: .utf8)
        try clientPublicKey.write(toFile: authorizedKeysFile, atomically: true, encoding: .utf8)
        try fileManager.setAttributes([.ownerAccountName: Self.testUser, .posixPermissions: 0o600], ofItemAtPath: authorizedKeysFile)

        logFile = "\(directory)/sshd.log"
        let config =
            ([port] + extra).map { "Port \($0)" } + [
                "ListenAddress 127.0.0.1",
                "HostKey \(hostKey)",
                "PidFile \(directory)/sshd.pid",
                "AuthorizedKeysFile .ssh/\(keyName)",
                "PubkeyAuthentication yes",
                // libssh2 1.10 signs RSA user keys with SHA-1 only, which OpenSSH 9 refuses by default.
                "PubkeyAcceptedAlgorithms +ssh-rsa",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes yes",
                "PermitRootLogin no",
                "AllowUsers \(Self.testUser)",
                "MaxStartups 1000",
                "MaxSessions 50",
                "UseDNS no",
                "X11Forwarding no",
                "PrintMotd no",
                "LogLevel VERBOSE",
            ] + extraConfig
        let configFile = "\(directory)/sshd_config"
        self.configFile = configFile
        try (config.joined(separator: "\n") + "\n").write(toFile: configFile, atomically: true, encoding: .utf8)

        process = try SpawnedProcess(Self.sshdPath, ["-D", "-f", configFile, "-E", logFile])
        do {
            try waitUntilListening()
        } catch {
            stop()
            throw error
        }
    }

    /// Waits up to 5 s for sshd to listen on all its ports.
    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(5)
        while !([port] + extraPorts).allSatisfy(LoopbackPorts.isListening) {
            if !process.isRunning || Date() > deadline {
                let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
                throw StartFailure(message: "sshd did not start on port \(port): \(log.suffix(600))")
            }
            usleep(5_000)
        }
    }

    /// Takes the server down (SIGTERM) but keeps its keys, users and configuration, so that
    /// `resume()` brings the same host back: a machine whose sshd was stopped, then started.
    public func pause() {
        lock.lock()
        defer { lock.unlock() }
        process.terminate()
    }

    /// Starts sshd again after `pause()`, on the same ports with the same host key.
    public func resume() throws {
        lock.lock()
        defer { lock.unlock() }
        process = try SpawnedProcess(Self.sshdPath, ["-D", "-f", configFile, "-E", logFile])
        try waitUntilListening()
    }

    deinit { stop() }

    /// Stops the server (SIGTERM, then waits) and removes its authorized_keys file and folder.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        process.terminate()
        try? FileManager.default.removeItem(atPath: authorizedKeysFile)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A host definition pointing at this server with its known_hosts file and client key.
    ///
    /// - Parameters:
    ///   - name: Host name in the inventory.
    ///   - port: Port (default: the main port).
    ///   - identityFile: Key file (default: the authorized client key).
    ///   - knownHostsFile: known_hosts file (default: the correct one).
    public func host(name: String = "sshd-test", port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil) -> HostDefinition {
        HostDefinition(
            name: name, address: address, port: port ?? self.port, user: user, identityFile: identityFile ?? clientIdentityFile,
            knownHostsFile: knownHostsFile ?? self.knownHostsFile)
    }

    /// Makes a new key pair in the server's folder, not authorized unless `authorize` is true.
    ///
    /// - Parameters:
    ///   - name: File name.
    ///   - type: `ed25519`, `rsa` or `ecdsa`.
    ///   - authorize: Add its public key to the server's authorized_keys.
    /// - Returns: Path of the private key (the public key is next to it with `.pub`).
    /// - Throws: `TestCommand.Failure` when ssh-keygen fails.
    public func makeKeyPair(name: String, type: String = "ed25519", authorize: Bool = false) throws -> String {
        let path = "\(directory)/\(name)"
        var arguments = ["-q", "-t", type, "-N", "", "-C", name, "-f", path]
        if type == "rsa" { arguments += ["-b", "2048"] }
        try TestCommand.run("/usr/bin/ssh-keygen", arguments)
        if authorize {
            let existing = try String(contentsOfFile: authorizedKeysFile, encoding: .utf8)
            let added = try String(contentsOfFile: path + ".pub", encoding: .utf8)
            try (existing + added).write(toFile: authorizedKeysFile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.ownerAccountName: Self.testUser, .posixPermissions: 0o600], ofItemAtPath: authorizedKeysFile)
        }
        return path
    }

    /// Writes a known_hosts file in the server's folder.
    ///
    /// - Parameters:
    ///   - name: File name.
    ///   - lines: Its lines.
    /// - Returns: The path.
    /// - Throws: File errors.
    public func writeKnownHosts(name: String, lines: [String]) throws -> String {
        let path = "\(directory)/\(name)"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A fresh folder the test user can write into (for marker files), inside the server's folder.
    ///
    /// - Throws: File errors.
    public func makeSharedFolder(name: String = "shared") throws -> String {
        let path = "\(directory)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        return path
    }

    // MARK: - Machine setup, once per process

    private static let machineSetup: Result<Void, TestCommand.Failure> = {
        do {
            try ensureTestUser()
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            return .success(())
        } catch let failure as TestCommand.Failure {
            return .failure(failure)
        } catch {
            return .failure(TestCommand.Failure(command: "setup", output: .init(status: -1, stdout: "", stderr: "\(error)")))
        }
    }()

    private static func prepareMachine() throws {
        try machineSetup.get()
    }

    private static func ensureTestUser() throws {
        if try TestCommand.run("/usr/bin/id", ["-u", testUser], check: false).status != 0 {
            let added = try TestCommand.run("/usr/sbin/useradd", ["-m", "-s", "/bin/bash", testUser], check: false)
            // Another test process may have created it in between.
            if added.status != 0, try TestCommand.run("/usr/bin/id", ["-u", testUser], check: false).status != 0 {
                throw TestCommand.Failure(command: "useradd \(testUser)", output: added)
            }
        }
        // A locked password field (`!`) makes sshd refuse even key logins when UsePAM is off.
        try TestCommand.run("/usr/sbin/usermod", ["-p", "*", testUser])
        let home = try home(of: testUser)
        let sshDirectory = "\(home)/.ssh"
        try FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.ownerAccountName: testUser, .posixPermissions: 0o700], ofItemAtPath: sshDirectory)
        try FileManager.default.setAttributes([.ownerAccountName: testUser], ofItemAtPath: home)
    }

    private static func home(of user: String) throws -> String {
        let line = try TestCommand.run("/usr/bin/getent", ["passwd", user]).stdout
        let fields = line.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 6 else { throw StartFailure(message: "no passwd entry for \(user)") }
        return String(fields[5])
    }

    private static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/jarvis-sshd-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        guard let made else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return made
    }
}
