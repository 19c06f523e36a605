import Foundation

/// A world-writable folder under /tmp where commands run on the test sshd (as its test user)
/// leave marker files: the private temporary directory is out of that user's reach.
public enum MarkerFolder {
    public static func make() throws -> String {
        var template = Array("/tmp/jarvis-markers.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestServerError("mkdtemp failed") }
        let path = String(cString: made)
        chmod(path, 0o777)
        return path
    }
}
