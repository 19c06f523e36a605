import Foundation
import JarvisCore

/// The live HTTP adapters (replaced by libcurl when the HTTP module lands).
enum LiveHTTP {
    static var transport: any HTTPTransport { PendingTransport() }
    static let sleeper: any Sleeper = ThreadSleeper()

    struct PendingTransport: HTTPTransport {
        func send(_ request: HTTPRequest) throws -> HTTPResponse {
            throw HTTPTransportError.unreachable("this build has no HTTP client")
        }
    }

    struct ThreadSleeper: Sleeper {
        func sleep(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
    }
}
