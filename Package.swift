// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "kplane",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kplane", targets: ["kplane"]),
        .executable(name: "kctl", targets: ["kctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        .target(name: "KubeModel"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // zlib, for SPDY/3 header blocks (exec and port-forward streams).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // YAML <-> JSONValue (YAML 1.2 core scalars in, kubectl's YAML style out), shared by the
        // API server (YAML bodies) and the clients (manifests, kubeconfig, -o yaml). Yams brings
        // libyaml (CYaml), whose events KubeYAML composes itself.
        .target(name: "KubeYAML", dependencies: ["KubeModel", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModel", "KubeYAML",
                // SPDY/3 header blocks of the port-forward client.
                "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // `kctl proxy`'s local HTTP server.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kctl",
            dependencies: [
                "KubeModel", "KubeYAML", "KubeClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A statically linked runtime starts in ~7 ms instead of ~10 (no shared Foundation to
            // load); linked as a fixed-address executable, the loader has ~1,000 relocations to
            // apply instead of ~113,000 and start-up touches 300 fewer pages (-1 ms). kctl is a
            // short-lived CLI, so giving up address randomization of its own image costs little.
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "-no-pie"], .when(configuration: .release))]
        ),
        .target(
            name: "APIServer",
            dependencies: [
                "KubeModel", "CSQLite", "KubeYAML", "KubeClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                // Watches and log streams end when the server shuts down gracefully.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // HTTP parser errors and the request/response parts of Hummingbird's pipeline.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                // pods/log streams the node's kubelet answer through.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Level-triggered controllers over informers; they write only through an APIClient.
        .target(name: "Controllers", dependencies: ["KubeModel", "KubeClient", .product(name: "Logging", package: "swift-log")]),
        // kube-scheduler: queue, cache, filter and score plugins, binding through the API.
        .target(name: "Scheduler", dependencies: ["KubeModel", "KubeClient", .product(name: "Logging", package: "swift-log")]),
        // Nodes: the simulated fleet, and process-backed nodes (kubelet, images, pod networks,
        // container logs and the kubelet's HTTP server).
        .target(
            name: "Nodes",
            dependencies: [
                "KubeModel", "KubeClient", "CContainerShim", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // exec and port-forward streams on the connections the kubelet's server takes over.
                .product(name: "NIOCore", package: "swift-nio"),
                // HTTPS probes, which verify no certificate, as the kubelet's.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // kube-proxy's and an Ingress controller's jobs: Services answering on their ClusterIPs,
        // NodePorts and LoadBalancer addresses, the cluster's DNS, and HTTP(S) routing by
        // Ingress, all copying bytes over SwiftNIO to the endpoints the API lists.
        .target(
            name: "Networking",
            dependencies: [
                "KubeModel", "KubeClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                // The Ingress controller's pooled keep-alive connections to endpoints.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The fork/exec of a container process (namespaces, cgroups, parent-death signal), in C
        // because a forked copy of a multithreaded process may only make system calls.
        .target(name: "CContainerShim"),
        .executableTarget(
            name: "kplane",
            dependencies: [
                "APIServer", "KubeModel", "KubeClient", "KubeYAML", "Controllers", "Nodes", "Networking", "Scheduler",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What several test targets share: a `kplane apiserver` or `kplane up` child process on a
        // free loopback port (stopped when it goes out of scope), real kubectl and the built kctl
        // against it, a raw socket, and a whole cluster in the test process (see docs/tests.md).
        .target(
            name: "KplaneTestSupport",
            dependencies: ["APIServer", "Controllers", "Nodes", "Networking", "Scheduler", "KubeModel", "KubeClient"],
            path: "Tests/KplaneTestSupport"
        ),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel", "KubeYAML"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeModel", "KubeYAML", .product(name: "Logging", package: "swift-log")]),
        // The API server in process and over HTTP, and its compatibility with kubectl and the Python client.
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "KubeModel", "KubeClient", "KplaneTestSupport"], exclude: ["Compat/python_client.py"]),
        // kctl's printers and parsers, tested inside the executable target, and kctl end to end
        // against `kplane apiserver`, line by line against kubectl.
        .testTarget(
            name: "KctlTests",
            dependencies: ["kctl", "KubeModel", "KubeClient", "KubeYAML", "KplaneTestSupport"],
            exclude: ["EndToEnd/streaming_log_server.py", "EndToEnd/tls_server.py"]
        ),
        // The process-backed node: its kubelet's rules, images and the seed's app, pod networks,
        // and real processes under `kplane up --process-nodes`.
        .testTarget(
            name: "NodesTests",
            dependencies: ["Nodes", "KubeModel", "KubeClient", "KplaneTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "NetworkingTests",
            dependencies: ["Networking", "APIServer", "KubeModel", "KubeClient", "KplaneTestSupport", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Nodes", "APIServer", "KubeModel", "KubeClient", "KplaneTestSupport"]),
        .testTarget(
            name: "ControllersTests",
            dependencies: ["Controllers", "Nodes", "Scheduler", "APIServer", "KubeModel", "KubeClient", "KplaneTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // scheduler_perf in small: pending pods on N nodes, scheduled against an in-process API server.
        .executableTarget(name: "SchedulerPerf", dependencies: ["APIServer", "Scheduler", "KubeModel", "KubeClient"], path: "Benchmarks/SchedulerPerf"),
        // Issue 14's figures: one HPA sync over 1,000 HPAs and 10,000 simulated pods, and the metrics API's `top pods -A`.
        .executableTarget(name: "HPAPerf", dependencies: ["APIServer", "Controllers", "KubeModel", "KubeClient"], path: "Benchmarks/HPAPerf"),
        // One write to thousands of watches, timed by a SwiftNIO client (see Benchmarks/apiserver.sh).
        .executableTarget(
            name: "WatchFanout",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/WatchFanout"
        ),
        // Benchmark baseline: a trivial handler on the same HTTP stack (see Benchmarks/apiserver.sh).
        .executableTarget(
            name: "TrivialServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/TrivialServer"
        ),
    ],
    swiftLanguageModes: [.v6]
)
