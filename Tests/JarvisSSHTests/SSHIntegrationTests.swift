import Foundation
import JarvisTestSupport
import Testing

/// Parent of every test that starts a server, a subprocess or measures time.
///
/// `.serialized` applies to the nested suites too: the libssh2 calls and the local waits block
/// the thread they run on, and on a 2-core machine parallel tests would starve the
/// cooperative pool and skew the timing assertions (probe run ≈ one timeout, connect timeout
/// within its bound). Each test still starts its own sshd; nothing is shared.
@Suite(.serialized, .enabled(if: ServerGate.runs(whenAvailable: TestSSHD.isAvailable)), .timeLimit(.minutes(1)))
struct SSHIntegrationTests {}
