import JarvisCore
import JarvisHTTP

/// The live HTTP adapters: libcurl's easy interface, and a sleeper that really sleeps.
enum LiveHTTP {
    static var transport: any HTTPTransport { CurlTransport() }
    static let sleeper: any Sleeper = SystemSleeper()
}
