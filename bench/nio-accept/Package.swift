// swift-tools-version:5.10
import PackageDescription

// A minimal Alertmanager receiver on swift-nio's NIOHTTP1, built only by `scripts/bench parsers`
// to compare with `jarvis accept` (libmicrohttpd). It is not part of the jarvis product.
// `empty` is an executable that does nothing, built with the same flags: the size and
// start-up any Swift program has, so the figures show what NIO itself costs.
let package = Package(
    name: "nio-accept",
    dependencies: [.package(url: "https://github.com/apple/swift-nio", exact: "2.101.3")],
    targets: [
        .executableTarget(
            name: "nio-accept",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .executableTarget(name: "empty"),
    ]
)
