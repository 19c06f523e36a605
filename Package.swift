// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "jarvis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "jarvis", targets: ["jarvis"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C boundaries: the headers of system libraries (libpq-dev, libssh2-1-dev)…
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibSSH2", providers: [.apt(["libssh2-1-dev"])]),
        // …which are not linked on Linux but loaded on first use (dlopen), so that a run that
        // needs neither PostgreSQL nor SSH does not pay for mapping them and their ~20
        // dependencies (CLazyLink/include/jarvis_lazy_link.h).
        .target(name: "CLazyLink", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            name: "CLibPQLazy", dependencies: ["CLazyLink"], linkerSettings: [.linkedLibrary("pq", .when(platforms: [.macOS]))]),
        .target(
            name: "CLibSSH2Lazy", dependencies: ["CLazyLink"],
            linkerSettings: [.linkedLibrary("ssh2", .when(platforms: [.macOS]))]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libmicrohttpd (libmicrohttpd-dev) serves `jarvis accept`; loaded on first use too.
        .target(
            name: "CMicroHTTPDLazy", dependencies: ["CLazyLink"],
            linkerSettings: [.linkedLibrary("microhttpd", .when(platforms: [.macOS]))]),
        .target(
            name: "CCurlLazy", dependencies: ["CLazyLink"], linkerSettings: [.linkedLibrary("curl", .when(platforms: [.macOS]))]),

        // Pure domain: decoding, keys, decisions, state machines. No I/O.
        .target(name: "JarvisCore", swiftSettings: strict),

        // Adapters.
        .target(name: "CFastDigest", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "JarvisSpool", dependencies: ["JarvisCore", "CFastDigest"], swiftSettings: strict),
        .target(
            name: "JarvisSQLite",
            dependencies: [
                "JarvisCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .target(name: "JarvisPostgres", dependencies: ["JarvisCore", "CLibPQ", "CLibPQLazy"], swiftSettings: strict),
        .target(name: "JarvisSSH", dependencies: ["JarvisCore", "CLibSSH2", "CLibSSH2Lazy"], swiftSettings: strict),
        .target(name: "JarvisHTTP", dependencies: ["JarvisCore", "CCurl", "CCurlLazy"], swiftSettings: strict),
        .target(name: "JarvisReceiver", dependencies: ["JarvisCore", "JarvisSpool", "CMicroHTTPDLazy"], swiftSettings: strict),

        // Use cases and configuration loading; they see adapters through the core's ports
        // (Sources/JarvisCore/Ports), never PostgreSQL, SSH or HTTP directly.
        .target(
            name: "JarvisJobs",
            dependencies: [
                "JarvisCore", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),

        // The executable only parses arguments and wires jobs together.
        .executableTarget(
            name: "jarvis",
            dependencies: [
                "JarvisCore", "JarvisJobs", "JarvisSpool", "JarvisSQLite", "JarvisPostgres", "JarvisSSH", "JarvisHTTP", "JarvisReceiver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Benchmarks anyone can rerun (scripts/bench); not installed.
        .executableTarget(
            name: "jarvis-bench",
            dependencies: [
                "JarvisCore", "JarvisJobs", "JarvisSpool", "JarvisSQLite", "JarvisPostgres", "JarvisSSH", "JarvisHTTP", "JarvisTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),

        // Shared test helpers: throwaway PostgreSQL and sshd, fixtures, the jarvis binary runner.
        .target(name: "JarvisTestSupport", dependencies: ["JarvisCore"], swiftSettings: strict),

        .testTarget(name: "JarvisCoreTests", dependencies: ["JarvisCore", "JarvisTestSupport"], swiftSettings: strict),
        // The adapters against the real thing, one target each: the spool directory…
        .testTarget(name: "JarvisSpoolTests", dependencies: ["JarvisCore", "JarvisSpool", "JarvisTestSupport"], swiftSettings: strict),
        // …and the SQLite journal (migrations, outbox, patterns and their SQL).
        .testTarget(
            name: "JarvisSQLiteTests",
            dependencies: ["JarvisCore", "JarvisSQLite", "JarvisTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Reading jarvis.yaml and its sections into the configuration types (JarvisJobs).
        .testTarget(name: "JarvisConfigurationTests", dependencies: ["JarvisCore", "JarvisJobs", "JarvisTestSupport"], swiftSettings: strict),
        // The job scenarios against the real adapters: SQLite, the spool directory, sshd.
        .testTarget(
            name: "JarvisJobsIntegrationTests",
            dependencies: [
                "JarvisCore", "JarvisSpool", "JarvisSQLite", "JarvisSSH", "JarvisJobs", "JarvisTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // The jobs against the in-memory ports: no adapter is imported or linked.
        .testTarget(name: "JarvisJobsTests", dependencies: ["JarvisCore", "JarvisJobs", "JarvisTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "JarvisPostgresTests",
            dependencies: ["JarvisCore", "JarvisPostgres", "JarvisTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "JarvisSSHTests",
            dependencies: ["JarvisCore", "JarvisSSH", "JarvisTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "JarvisHTTPTests",
            dependencies: ["JarvisCore", "JarvisHTTP", "JarvisSQLite", "JarvisSpool", "JarvisPostgres", "JarvisJobs", "JarvisTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "JarvisReportTests",
            dependencies: [
                "JarvisCore", "JarvisSQLite", "JarvisPostgres", "JarvisJobs", "JarvisTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "JarvisCLITests",
            dependencies: ["JarvisCore", "JarvisSQLite", "JarvisTestSupport", "jarvis", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
    ]
)
