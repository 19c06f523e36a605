import Foundation

/// `recv`/`send` for the test servers, retried when a signal interrupts them (EINTR). The
/// test process gets SIGCHLD whenever one of the many processes the suite starts exits; a
/// server thread whose `recv` it interrupted used to drop the connection, and the client saw
/// a transport failure that no real server would cause.
public enum TestSockets {
    public static func recv(_ fd: Int32, _ buffer: inout [UInt8], _ count: Int, _ flags: Int32 = 0) -> Int {
        while true {
            let n = Foundation.recv(fd, &buffer, count, flags)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    public static func send(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
        while true {
            let n = Foundation.send(fd, pointer, count, flags)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    public static func accept(_ fd: Int32) -> Int32 {
        while true {
            let client = Foundation.accept(fd, nil, nil)
            if client < 0 && errno == EINTR { continue }
            return client
        }
    }
}
