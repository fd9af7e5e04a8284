import KubeModel

/// Decodes the protobuf request bodies kubectl 1.32+ sends for typed creates (configmap, secret,
/// namespace, deployment, autoscale) into JSON, using the field numbers of k8s.io/api's
/// generated.proto. Only the messages those commands send are described; unknown fields are skipped.
enum ProtobufDecoding {
    struct Failure: Error { let message: String }

    /// Field kinds: s string, i varint, b bool, y bytes (base64), t Time, q Quantity, is IntOrString,
    /// rs repeated string, ms map<string,string>, my map<string,bytes>, mq map<string,Quantity>,
    /// m:T message, rm:T repeated message.
    static let messages: [String: [Int: (String, String)]] = [
        "ObjectMeta": [1: ("name", "s"), 2: ("generateName", "s"), 3: ("namespace", "s"), 5: ("uid", "s"), 6: ("resourceVersion", "s"),
                       7: ("generation", "i"), 8: ("creationTimestamp", "t"), 11: ("labels", "ms"), 12: ("annotations", "ms"),
                       13: ("ownerReferences", "rm:OwnerReference"), 14: ("finalizers", "rs")],
        "OwnerReference": [1: ("kind", "s"), 3: ("name", "s"), 4: ("uid", "s"), 5: ("apiVersion", "s"), 6: ("controller", "b"), 7: ("blockOwnerDeletion", "b")],
        "ConfigMap": [1: ("metadata", "m:ObjectMeta"), 2: ("data", "ms"), 3: ("binaryData", "my"), 4: ("immutable", "b")],
        "Secret": [1: ("metadata", "m:ObjectMeta"), 2: ("data", "my"), 3: ("type", "s"), 4: ("stringData", "ms"), 5: ("immutable", "b")],
        "Namespace": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:NamespaceSpec")],
        "Service": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:ServiceSpec")],
        "ServiceSpec": [1: ("ports", "rm:ServicePort"), 2: ("selector", "ms"), 3: ("clusterIP", "s"), 4: ("type", "s"), 5: ("externalIPs", "rs"),
                        7: ("sessionAffinity", "s"), 10: ("externalName", "s"), 18: ("clusterIPs", "rs")],
        "ServicePort": [1: ("name", "s"), 2: ("protocol", "s"), 3: ("port", "i"), 4: ("targetPort", "is"), 5: ("nodePort", "i")],
        "NamespaceSpec": [1: ("finalizers", "rs")],
        "autoscaling/v1/HorizontalPodAutoscaler": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:HPASpecV1")],
        "autoscaling/v2/HorizontalPodAutoscaler": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:HPASpecV2")],
        "HPASpecV2": [1: ("scaleTargetRef", "m:CrossVersionObjectReference"), 2: ("minReplicas", "i"), 3: ("maxReplicas", "i"),
                      4: ("metrics", "rm:MetricSpec")],
        "MetricSpec": [1: ("type", "s"), 4: ("resource", "m:ResourceMetricSource")],
        "ResourceMetricSource": [1: ("name", "s"), 2: ("target", "m:MetricTarget")],
        "MetricTarget": [1: ("type", "s"), 2: ("value", "q"), 3: ("averageValue", "q"), 4: ("averageUtilization", "i")],
        "HPASpecV1": [1: ("scaleTargetRef", "m:CrossVersionObjectReference"), 2: ("minReplicas", "i"), 3: ("maxReplicas", "i"),
                      4: ("targetCPUUtilizationPercentage", "i")],
        "CrossVersionObjectReference": [1: ("kind", "s"), 2: ("name", "s"), 3: ("apiVersion", "s")],
        "Deployment": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:DeploymentSpec")],
        "DeploymentSpec": [1: ("replicas", "i0"), 2: ("selector", "m:LabelSelector"), 3: ("template", "m:PodTemplateSpec"),
                           4: ("strategy", "m:DeploymentStrategy"), 5: ("minReadySeconds", "i"), 6: ("revisionHistoryLimit", "i"),
                           7: ("paused", "b"), 9: ("progressDeadlineSeconds", "i")],
        "DeploymentStrategy": [1: ("type", "s"), 2: ("rollingUpdate", "m:RollingUpdateDeployment")],
        "RollingUpdateDeployment": [1: ("maxUnavailable", "is"), 2: ("maxSurge", "is")],
        "LabelSelector": [1: ("matchLabels", "ms"), 2: ("matchExpressions", "rm:LabelSelectorRequirement")],
        "LabelSelectorRequirement": [1: ("key", "s"), 2: ("operator", "s"), 3: ("values", "rs")],
        "PodTemplateSpec": [1: ("metadata", "m:ObjectMeta"), 2: ("spec", "m:PodSpec")],
        "PodSpec": [2: ("containers", "rm:Container"), 3: ("restartPolicy", "s"), 4: ("terminationGracePeriodSeconds", "i"),
                    6: ("dnsPolicy", "s"), 7: ("nodeSelector", "ms"), 8: ("serviceAccountName", "s"), 10: ("nodeName", "s"),
                    19: ("schedulerName", "s"), 20: ("initContainers", "rm:Container")],
        "Container": [1: ("name", "s"), 2: ("image", "s"), 3: ("command", "rs"), 4: ("args", "rs"), 5: ("workingDir", "s"),
                      6: ("ports", "rm:ContainerPort"), 7: ("env", "rm:EnvVar"), 8: ("resources", "m:ResourceRequirements"),
                      13: ("terminationMessagePath", "s"), 14: ("imagePullPolicy", "s"), 20: ("terminationMessagePolicy", "s")],
        "ContainerPort": [1: ("name", "s"), 2: ("hostPort", "i"), 3: ("containerPort", "i"), 4: ("protocol", "s"), 5: ("hostIP", "s")],
        "EnvVar": [1: ("name", "s"), 2: ("value", "s")],
        "ResourceRequirements": [1: ("limits", "mq"), 2: ("requests", "mq")],
    ]

    static func decode(_ body: [UInt8]) throws -> JSONValue {
        guard body.count >= 4, Array(body[0..<4]) == [0x6b, 0x38, 0x73, 0x00] else {
            throw Failure(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        var r = Reader(data: body, pos: 4, end: body.count)
        var apiVersion = ""
        var kind = ""
        var raw: [UInt8] = []
        while let (field, wire) = try r.tag() {
            if field == 1 && wire == 2 {
                var tm = try r.sub()
                while let (f, w) = try tm.tag() {
                    if f == 1 && w == 2 { apiVersion = try tm.string() } else if f == 2 && w == 2 { kind = try tm.string() } else { try tm.skip(w) }
                }
            } else if field == 2 && wire == 2 {
                raw = try r.bytes()
            } else {
                try r.skip(wire)
            }
        }
        // Kinds whose message differs between versions are keyed by apiVersion too.
        let type = messages["\(apiVersion)/\(kind)"] != nil ? "\(apiVersion)/\(kind)" : kind
        guard messages[type] != nil else {
            throw Failure(message: "no protobuf decoding for kind \(kind); send application/json")
        }
        var obj = try message(Reader(data: raw, pos: 0, end: raw.count), type)
        obj["apiVersion"] = .string(apiVersion)
        obj["kind"] = .string(kind)
        return obj
    }

    static func message(_ reader: Reader, _ type: String) throws -> JSONValue {
        var r = reader
        let fields = messages[type] ?? [:]
        var o: [String: JSONValue] = [:]
        while let (num, wire) = try r.tag() {
            guard let (name, kind) = fields[num] else { try r.skip(wire); continue }
            switch kind {
            case "s":
                let s = try r.string()
                if !s.isEmpty { o[name] = .string(s) }
            case "i", "i0":
                let v = Int64(bitPattern: try r.varint())
                if v != 0 || kind == "i0" { o[name] = .int(v) }
            case "b":
                if try r.varint() != 0 { o[name] = .bool(true) }
            case "y": o[name] = .string(Base64.encode(try r.bytes()))
            case "q":
                var q = try r.sub()
                while let (f, w) = try q.tag() { if f == 1 { o[name] = .string(try q.string()) } else { try q.skip(w) } }
            case "rs": o[name, default: .array([])] = .array((o[name]?.arrayValue ?? []) + [.string(try r.string())])
            case "t":
                var t = try r.sub()
                var secs: Int64 = 0
                while let (f, w) = try t.tag() { if f == 1 { secs = Int64(bitPattern: try t.varint()) } else { try t.skip(w) } }
                if secs != 0 { o[name] = .string(Timestamp.format(.init(timeIntervalSince1970: Double(secs)))) }
            case "is":
                var t = try r.sub()
                var type: UInt64 = 0
                var i: Int64 = 0
                var s = ""
                while let (f, w) = try t.tag() {
                    switch f {
                    case 1: type = try t.varint()
                    case 2: i = Int64(bitPattern: try t.varint())
                    case 3: s = try t.string()
                    default: try t.skip(w)
                    }
                }
                o[name] = type == 1 ? .string(s) : .int(i)
            case "ms", "my", "mq":
                var e = try r.sub()
                var key = ""
                var value: JSONValue = ""
                while let (f, w) = try e.tag() {
                    if f == 1 { key = try e.string() }
                    else if f == 2 {
                        switch kind {
                        case "my": value = .string(Base64.encode(try e.bytes()))
                        case "mq":
                            var q = try e.sub()
                            while let (qf, qw) = try q.tag() { if qf == 1 { value = .string(try q.string()) } else { try q.skip(qw) } }
                        default: value = .string(try e.string())
                        }
                    } else { try e.skip(w) }
                }
                var m = o[name]?.objectValue ?? [:]
                m[key] = value
                o[name] = .object(m)
            default:
                if kind.hasPrefix("m:") {
                    o[name] = try message(r.sub(), String(kind.dropFirst(2)))
                } else if kind.hasPrefix("rm:") {
                    let item = try message(r.sub(), String(kind.dropFirst(3)))
                    o[name] = .array((o[name]?.arrayValue ?? []) + [item])
                } else {
                    try r.skip(wire)
                }
            }
        }
        return .object(o)
    }

    struct Reader {
        let data: [UInt8]
        var pos: Int
        let end: Int

        mutating func varint() throws -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while pos < end {
                let b = data[pos]
                pos += 1
                v |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return v }
                shift += 7
                if shift > 63 { break }
            }
            throw Failure(message: "truncated protobuf varint")
        }

        mutating func tag() throws -> (Int, Int)? {
            guard pos < end else { return nil }
            let t = try varint()
            return (Int(t >> 3), Int(t & 7))
        }

        mutating func bytes() throws -> [UInt8] {
            let n = Int(try varint())
            guard n >= 0, pos + n <= end else { throw Failure(message: "truncated protobuf field") }
            defer { pos += n }
            return Array(data[pos..<(pos + n)])
        }

        mutating func string() throws -> String { String(decoding: try bytes(), as: UTF8.self) }

        mutating func sub() throws -> Reader {
            let n = Int(try varint())
            guard n >= 0, pos + n <= end else { throw Failure(message: "truncated protobuf message") }
            defer { pos += n }
            return Reader(data: data, pos: pos, end: pos + n)
        }

        mutating func skip(_ wire: Int) throws {
            switch wire {
            case 0: _ = try varint()
            case 1: pos += 8
            case 2: _ = try sub()
            case 5: pos += 4
            default: throw Failure(message: "unsupported protobuf wire type \(wire)")
            }
            if pos > end { throw Failure(message: "truncated protobuf field") }
        }
    }
}
