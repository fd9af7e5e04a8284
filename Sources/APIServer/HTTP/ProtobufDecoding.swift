import KubeModel

/// Decodes the protobuf request bodies kubectl 1.32+ sends for typed creates (configmap, secret,
/// namespace, deployment, autoscale) into JSON, using the field numbers of k8s.io/api's
/// generated.proto. Only the messages those commands send are described; unknown fields are skipped.
enum ProtobufDecoding {
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

    static let prefix: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// Decodes a body sent to a resource of kind `expected`. Malformed bytes are a 400 worded as
    /// kube-apiserver's `transformDecodeError` words them; a kind we have no message table for is
    /// a 415.
    static func decode(_ body: [UInt8], expected: String) throws(APIError) -> JSONValue {
        let envelope: (apiVersion: String, kind: String, raw: [UInt8])
        do {
            envelope = try unknown(body)
        } catch {
            throw .badRequest("the object provided is unrecognized (must be of type \(expected)): \(error.message) (\(summary(body)))")
        }
        let kind = envelope.kind.isEmpty ? expected : envelope.kind
        // Kinds whose message differs between versions are keyed by apiVersion too.
        let type = messages["\(envelope.apiVersion)/\(kind)"] != nil ? "\(envelope.apiVersion)/\(kind)" : kind
        guard messages[type] != nil else {
            throw APIError(code: 415, reason: "UnsupportedMediaType", message: "no protobuf decoding for kind \(kind); send application/json")
        }
        do {
            var obj = try message(ProtobufReader(envelope.raw), type)
            obj["apiVersion"] = .string(envelope.apiVersion)
            obj["kind"] = .string(kind)
            return obj
        } catch {
            let version = envelope.apiVersion.split(separator: "/").last.map(String.init) ?? ""
            throw .badRequest("\(kind) in version \"\(version)\" cannot be handled as a \(expected): \(error.message)")
        }
    }

    /// The runtime.Unknown envelope after the "k8s\0" prefix: type meta and the raw message.
    private static func unknown(_ body: [UInt8]) throws(ProtobufReader.Failure) -> (apiVersion: String, kind: String, raw: [UInt8]) {
        if body.isEmpty { throw .init(message: "empty data") }
        guard body.starts(with: prefix) else {
            throw .init(message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        if body.count == prefix.count { throw .init(message: "empty body") }
        var r = ProtobufReader(body, from: prefix.count)
        var apiVersion = ""
        var kind = ""
        var raw: [UInt8] = []
        while let (field, wire) = try r.tag(in: "Unknown") {
            switch field {
            case 1:
                try expectWire(wire, 2, "TypeMeta")
                var tm = try r.message()
                while let (f, w) = try tm.tag(in: "TypeMeta") {
                    switch f {
                    case 1: try expectWire(w, 2, "APIVersion"); apiVersion = try tm.string()
                    case 2: try expectWire(w, 2, "Kind"); kind = try tm.string()
                    default: try tm.skip(w)
                    }
                }
            case 2: try expectWire(wire, 2, "Raw"); raw = try r.bytes()
            case 3: try expectWire(wire, 2, "ContentEncoding"); _ = try r.bytes()
            case 4: try expectWire(wire, 2, "ContentType"); _ = try r.bytes()
            default: try r.skip(wire)
            }
        }
        return (apiVersion, kind, raw)
    }

    /// kube-apiserver's `summarizeData`: the first 30 bytes, in hex unless the body is JSON.
    static func summary(_ body: [UInt8]) -> String {
        guard let first = body.first else { return "<empty>" }
        let head = body.prefix(30)
        let more = body.count > 30 ? " ..." : ""
        if first == UInt8(ascii: "{") { return String(decoding: head, as: UTF8.self) + more }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for b in head { hex += [digits[Int(b >> 4)], digits[Int(b & 0xf)]] }
        return String(decoding: hex, as: UTF8.self) + more
    }

    private static func expectWire(_ wire: Int, _ expected: Int, _ field: String) throws(ProtobufReader.Failure) {
        guard wire == expected else { throw .init(message: "proto: wrong wireType = \(wire) for field \(field)") }
    }

    /// Go's field name, for errors: the JSON name with a capital first letter.
    private static func goName(_ json: String) -> String { json.prefix(1).uppercased() + json.dropFirst() }

    static func message(_ reader: ProtobufReader, _ type: String) throws(ProtobufReader.Failure) -> JSONValue {
        var r = reader
        let fields = messages[type] ?? [:]
        var o: [String: JSONValue] = [:]
        // Repeated fields and map entries gather here, so a long list costs linear time.
        var lists: [String: [JSONValue]] = [:]
        var maps: [String: [String: JSONValue]] = [:]
        while let (num, wire) = try r.tag(in: type) {
            guard let (name, kind) = fields[num] else { try r.skip(wire); continue }
            try expectWire(wire, ["i", "i0", "b"].contains(kind) ? 0 : 2, goName(name))
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
                var q = try r.message()
                while let (f, w) = try q.tag(in: "Quantity") {
                    if f == 1 { try expectWire(w, 2, "String_"); o[name] = .string(try q.string()) } else { try q.skip(w) }
                }
            case "rs": lists[name, default: []].append(.string(try r.string()))
            case "t":
                var t = try r.message()
                var secs: Int64 = 0
                while let (f, w) = try t.tag(in: "Timestamp") {
                    if f == 1 { try expectWire(w, 0, "Seconds"); secs = Int64(bitPattern: try t.varint()) } else { try t.skip(w) }
                }
                // Only years 0001-9999 have an RFC 3339 form; the server sets creationTimestamp anyway.
                if secs != 0, secs >= -62_135_596_800, secs <= 253_402_300_799 {
                    o[name] = .string(Timestamp.format(.init(timeIntervalSince1970: Double(secs))))
                }
            case "is":
                var t = try r.message()
                var type: UInt64 = 0
                var i: Int64 = 0
                var s = ""
                while let (f, w) = try t.tag(in: "IntOrString") {
                    switch f {
                    case 1: try expectWire(w, 0, "Type"); type = try t.varint()
                    case 2: try expectWire(w, 0, "IntVal"); i = Int64(bitPattern: try t.varint())
                    case 3: try expectWire(w, 2, "StrVal"); s = try t.string()
                    default: try t.skip(w)
                    }
                }
                o[name] = type == 1 ? .string(s) : .int(i)
            case "ms", "my", "mq":
                var e = try r.message()
                var key = ""
                var value: JSONValue = ""
                // Like generated.pb.go, entries read their key and value without looking at wire types.
                while let (f, w) = try e.tag(in: type) {
                    if f == 1 {
                        key = try e.string()
                    } else if f == 2 {
                        switch kind {
                        case "my": value = .string(Base64.encode(try e.bytes()))
                        case "mq":
                            var q = try e.message()
                            while let (qf, qw) = try q.tag(in: "Quantity") {
                                if qf == 1 { try expectWire(qw, 2, "String_"); value = .string(try q.string()) } else { try q.skip(qw) }
                            }
                        default: value = .string(try e.string())
                        }
                    } else { try e.skip(w) }
                }
                maps[name, default: [:]][key] = value
            default:
                // Embedded messages: the tables have no cycles, so the depth is the schema's.
                if kind.hasPrefix("m:") {
                    o[name] = try message(r.message(), String(kind.dropFirst(2)))
                } else if kind.hasPrefix("rm:") {
                    lists[name, default: []].append(try message(r.message(), String(kind.dropFirst(3))))
                } else {
                    try r.skip(wire)
                }
            }
        }
        for (name, items) in lists { o[name] = .array(items) }
        for (name, entries) in maps { o[name] = .object(entries) }
        return .object(o)
    }
}
