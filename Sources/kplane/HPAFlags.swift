import ArgumentParser
import Controllers
import Foundation
import KubeModel

/// kube-controller-manager's `--horizontal-pod-autoscaler-*` flags, with its defaults, so a
/// lesson can shorten the periods (`--horizontal-pod-autoscaler-downscale-stabilization=30s`).
struct HPAFlags: ParsableArguments {
    @Option(name: .customLong("horizontal-pod-autoscaler-sync-period"),
            help: "How often each HorizontalPodAutoscaler is looked at.") var syncPeriod = "15s"
    @Option(name: .customLong("horizontal-pod-autoscaler-downscale-stabilization"),
            help: "How far back the highest recommendation is kept before scaling down.") var downscaleStabilization = "5m0s"
    @Option(name: .customLong("horizontal-pod-autoscaler-tolerance"),
            help: "How far the usage ratio may be from 1.0 before scaling.") var tolerance = 0.1
    @Option(name: .customLong("horizontal-pod-autoscaler-cpu-initialization-period"),
            help: "How long after a pod starts its CPU samples may be skipped.") var cpuInitializationPeriod = "5m0s"
    @Option(name: .customLong("horizontal-pod-autoscaler-initial-readiness-delay"),
            help: "How long after a pod starts its readiness changes count as initial.") var initialReadinessDelay = "30s"

    /// Checked as the command line is parsed, before anything starts.
    func validate() throws { _ = try settings() }

    func settings() throws -> HorizontalPodAutoscalerController.Settings {
        func duration(_ text: String, _ flag: String) throws -> TimeInterval {
            guard let s = GoDuration.seconds(text), s >= 0 else {
                throw ValidationError("invalid argument \"\(text)\" for \"--\(flag)\" flag: time: invalid duration \"\(text)\"")
            }
            return s
        }
        var s = HorizontalPodAutoscalerController.Settings()
        s.syncPeriod = try duration(syncPeriod, "horizontal-pod-autoscaler-sync-period")
        guard s.syncPeriod > 0 else { throw ValidationError("--horizontal-pod-autoscaler-sync-period must be greater than 0") }
        s.downscaleStabilization = try duration(downscaleStabilization, "horizontal-pod-autoscaler-downscale-stabilization")
        s.cpuInitializationPeriod = try duration(cpuInitializationPeriod, "horizontal-pod-autoscaler-cpu-initialization-period")
        s.initialReadinessDelay = try duration(initialReadinessDelay, "horizontal-pod-autoscaler-initial-readiness-delay")
        guard tolerance >= 0 else { throw ValidationError("--horizontal-pod-autoscaler-tolerance must not be negative") }
        s.tolerance = tolerance
        return s
    }
}
