// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "InfraGuardian",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "InfraGuardian", targets: ["InfraGuardian"]),
        .executable(name: "infra-guardian", targets: ["infra-guardian"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ"),
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        .systemLibrary(name: "CCmarkGFM", path: "Sources/CCmarkGFM"),
        .systemLibrary(name: "CPgQuery", path: "Sources/CPgQuery"),
        .target(
            name: "InfraGuardian",
            dependencies: [
                "CLibPQ", "CHiredis", "CCmarkGFM", "CPgQuery",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        .executableTarget(
            name: "infra-guardian",
            dependencies: [
                "InfraGuardian",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "InfraGuardianTestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "InfraGuardianTests", dependencies: ["InfraGuardian", "InfraGuardianTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "IntegrationTests", dependencies: ["InfraGuardian", "InfraGuardianTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
