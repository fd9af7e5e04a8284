import Foundation

/// What a pod on a simulated node uses, as the metrics API reports it. Simulated pods run
/// nothing, so their usage is a rule over time, as KWOK's ResourceUsage objects are: the
/// annotation `kplane.dev/simulated-usage` on the pod, its ReplicaSet or its Deployment (the
/// nearest wins) sets it, one entry per resource, and changing the annotation changes the
/// usage at the next read, without a rollout when it sits on the Deployment itself:
///
///     cpu=250m                        each pod uses 250m
///     cpu=90%                         90% of each pod's request
///     cpu=100m to 900m over 2m        a ramp, from the time the rule starts
///     cpu=100m then 900m after 1m     a step
///     cpu=1500m shared                1500m spread over the owner's running pods (a fixed load)
///     memory=200Mi, cpu=60%           entries are separated by commas
///
/// A rule starts at `kplane.dev/simulated-usage-since` (RFC 3339) when the object sets it, else
/// when the pod started. Without a rule, a pod uses a steady 30–80% of its requests (fixed by
/// its uid), or 1m and 8Mi when it requests nothing.
public struct SimulatedUsage: Sendable, Equatable {
    public static let annotation = "kplane.dev/simulated-usage"
    public static let sinceAnnotation = "kplane.dev/simulated-usage-since"

    public var cpu: UsageRule?
    public var memory: UsageRule?

    public init(cpu: UsageRule? = nil, memory: UsageRule? = nil) {
        self.cpu = cpu
        self.memory = memory
    }

    /// Parses the annotation's value; the error names the entry it cannot read.
    public init(parsing text: String) throws(UsageRule.ParseError) {
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw .init(entry: String(entry), reason: "want RESOURCE=RULE") }
            switch parts[0] {
            case "cpu": cpu = try UsageRule(parsing: parts[1], most: UsageRule.mostCPU)
            case "memory": memory = try UsageRule(parsing: parts[1], most: UsageRule.mostMemory)
            default: throw .init(entry: String(entry), reason: "the resource must be cpu or memory")
            }
        }
    }

    /// What is wrong with an object's usage annotations, so a rule that cannot be read is
    /// refused when written rather than ignored when read.
    static func problems(in annotations: [String: JSONValue]) -> [FieldError] {
        var errs: [FieldError] = []
        if let v = annotations[annotation] {
            do throws(UsageRule.ParseError) {
                _ = try SimulatedUsage(parsing: v.stringValue ?? "")
            } catch {
                errs.append(.invalid("metadata.annotations[\(annotation)]", v, error.description))
            }
        }
        if let v = annotations[sinceAnnotation], Timestamp.parse(v.stringValue ?? "") == nil {
            errs.append(.invalid("metadata.annotations[\(sinceAnnotation)]", v, "must be a time in RFC 3339 form, such as 2026-01-02T15:04:05Z"))
        }
        return errs
    }

    /// Whether a rule spreads an owner's total over its pods.
    public var isShared: Bool { cpu?.shared == true || memory?.shared == true }

    /// A pod's usage at `elapsed` seconds into the rule: CPU in nanocores, memory in bytes.
    /// `sharers` is how many running pods share a `shared` load (at least 1).
    public func usage(requests: ResourceList, uid: String, elapsed: TimeInterval, sharers: Int) -> (nanoCores: Int64, bytes: Int64) {
        let share = Self.defaultShare(uid: uid)
        let cpuRequest = Double(requests.milliCPU) * 1e6, memoryRequest = Double(requests.memory)
        let cpuValue = cpu.map { $0.value(at: elapsed, request: cpuRequest, base: 1e-9, sharers: sharers) }
            ?? (requests.milliCPU > 0 ? cpuRequest * share : 1e6)
        let memoryValue = memory.map { $0.value(at: elapsed, request: memoryRequest, base: 1, sharers: sharers) }
            ?? (requests.memory > 0 ? memoryRequest * share : 8 * 1_048_576)
        return (Int64(clampingValue: cpuValue.rounded()), Int64(clampingValue: memoryValue.rounded()))
    }

    /// A stable fraction per pod: the uid's bytes folded into 30…80%.
    static func defaultShare(uid: String) -> Double {
        Double(30 + Int64(uid.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff } % 51)) / 100
    }
}

/// One resource's rule: an amount, or a ramp or step between two, per pod or shared.
public struct UsageRule: Sendable, Equatable {
    /// An absolute quantity, or a percentage of the pod's request.
    public enum Amount: Sendable, Equatable {
        case quantity(Quantity)
        case percentOfRequest(Double)
    }

    public enum Shape: Sendable, Equatable {
        case steady
        case ramp(to: Amount, over: TimeInterval)
        case step(to: Amount, after: TimeInterval)
    }

    public var from: Amount
    public var shape: Shape
    /// The amount is the owner's total, divided among its running pods.
    public var shared: Bool

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let entry: String
        public let reason: String
        public var description: String { "\"\(entry.trimmingCharacters(in: .whitespaces))\": \(reason)" }
    }

    public init(from: Amount, shape: Shape = .steady, shared: Bool = false) {
        self.from = from
        self.shape = shape
        self.shared = shared
    }

    init(parsing text: String, most: Double) throws(ParseError) {
        var words = text.split(separator: " ").map(String.init)
        func fail(_ reason: String) -> ParseError { ParseError(entry: text, reason: reason) }
        shared = words.last == "shared"
        if shared { words.removeLast() }
        guard let first = words.first, let from = Self.amount(first, most: most) else { throw fail(Self.amountHint) }
        self.from = from
        switch words.count {
        case 1: shape = .steady
        case 5 where words[1] == "to" && words[3] == "over", 5 where words[1] == "then" && words[3] == "after":
            guard let to = Self.amount(words[2], most: most) else { throw fail("\(words[2]) is not an amount") }
            guard let d = GoDuration.seconds(words[4]), d >= 0 else { throw fail("\(words[4]) is not a duration such as 90s or 2m") }
            shape = words[1] == "to" ? .ramp(to: to, over: d) : .step(to: to, after: d)
        default:
            throw fail("want AMOUNT, \"A to B over DURATION\" or \"A then B after DURATION\", optionally followed by \"shared\"")
        }
    }

    /// The largest amounts a rule may name (a million CPUs, an exbibyte, a million percent): far
    /// past any machine, and far from Int64's end, so sums over thousands of pods stay exact.
    static let mostCPU: Double = 1_000_000
    static let mostMemory: Double = 1_152_921_504_606_846_976
    static let mostPercent: Double = 1_000_000
    static let amountHint = "want an amount such as 250m, 200Mi or 70% (at most 1000000 CPUs, 1Ei of memory, or 1000000%)"

    static func amount(_ word: String, most: Double) -> Amount? {
        if word.hasSuffix("%") {
            guard let p = Double(word.dropLast()), p >= 0, p <= mostPercent else { return nil }
            return .percentOfRequest(p)
        }
        guard let q = Quantity(word), q.value >= 0, q.value <= most else { return nil }
        return .quantity(q)
    }

    /// The value at `elapsed`, in the resource's unit scaled by 1/`base` (nanocores for CPU).
    func value(at elapsed: TimeInterval, request: Double, base: Double, sharers: Int) -> Double {
        func resolve(_ a: Amount) -> Double {
            switch a {
            case .quantity(let q): q.value / base
            case .percentOfRequest(let p): request * p / 100
            }
        }
        var v: Double
        switch shape {
        case .steady: v = resolve(from)
        case .ramp(let to, let over):
            let f = over <= 0 ? 1 : min(max(elapsed / over, 0), 1)
            v = resolve(from) + (resolve(to) - resolve(from)) * f
        case .step(let to, let after): v = elapsed >= after ? resolve(to) : resolve(from)
        }
        if shared { v /= Double(max(sharers, 1)) }
        return v
    }
}
