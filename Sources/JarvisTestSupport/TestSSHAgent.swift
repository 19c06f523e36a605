import Foundation

/// A private `ssh-agent` for tests, on its own socket, so the test never touches `SSH_AUTH_SOCK`.
public final class TestSSHAgent: @unchecked Sendable {
    /// The agent's socket.
    public let socketPath: String
    private let process: SpawnedProcess

    private init(socketPath: String, process: SpawnedProcess) {
        self.socketPath = socketPath
        self.process = process
    }

    /// Starts `ssh-agent -D -a SOCKET` in `folder` and waits for its socket.
    ///
    /// - Parameter folder: Where to put the socket.
    /// - Throws: Foundation errors, or `TestSSHD.StartFailure` when the socket never appears.
    public static func start(in folder: String) throws -> TestSSHAgent {
        let socketPath = "\(folder)/agent.sock"
        let process = try SpawnedProcess("/usr/bin/ssh-agent", ["-D", "-a", socketPath])
        let agent = TestSSHAgent(socketPath: socketPath, process: process)
        let deadline = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline, process.isRunning else {
                agent.stop()
                throw TestSSHD.StartFailure(message: "ssh-agent did not create \(socketPath)")
            }
            usleep(5_000)
        }
        return agent
    }

    /// Adds a private key (`ssh-add`).
    ///
    /// - Parameter identityFile: The key.
    /// - Throws: `TestCommand.Failure` when ssh-add fails.
    public func add(_ identityFile: String) throws {
        // The socket file appears when ssh-agent binds it, a moment before it listens: a
        // refused connection then means "not yet" (seen once under load in CI).
        var attempt = 0
        while true {
            attempt += 1
            do {
                try TestCommand.run("/usr/bin/ssh-add", ["-q", identityFile], environment: ["SSH_AUTH_SOCK": socketPath])
                return
            } catch let failure as TestCommand.Failure where failure.output.stderr.contains("Connection refused") && attempt < 50 {
                usleep(100_000)
            }
        }
    }

    /// Stops the agent.
    public func stop() {
        process.terminate()
    }

    deinit { stop() }
}
