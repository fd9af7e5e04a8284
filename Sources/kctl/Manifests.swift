import Foundation
import KubeModel
import KubeYAML

/// One object read from a manifest, with where it came from (for kubectl's error lines).
struct ManifestObject {
    let object: JSONValue
    let source: String
}

/// Reads `-f` arguments as kubectl does: files, directories (`-R` to recurse), `-` for stdin,
/// multi-document YAML, JSON, and `kind: List`.
enum Manifests {
    static let extensions = ["yaml", "yml", "json"]

    static func read(_ paths: [String], recursive: Bool) throws -> [ManifestObject] {
        var out: [ManifestObject] = []
        for p in paths {
            if p == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                out += try parse(String(decoding: data, as: UTF8.self), source: "STDIN")
                continue
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw KctlError("the path \"\(p)\" does not exist")
            }
            if isDir.boolValue {
                for file in try files(in: p, recursive: recursive) {
                    out += try parse(try String(contentsOfFile: file, encoding: .utf8), source: file)
                }
            } else {
                out += try parse(try String(contentsOfFile: p, encoding: .utf8), source: p)
            }
        }
        return out
    }

    static func files(in dir: String, recursive: Bool) throws -> [String] {
        var out: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            let path = (dir as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            if isDir.boolValue {
                if recursive { out += try files(in: path, recursive: true) }
            } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
                out.append(path)
            }
        }
        return out
    }

    static func parse(_ text: String, source: String) throws -> [ManifestObject] {
        let docs: [JSONValue]
        do {
            docs = try YAMLDecoding.documents(text)
        } catch let e as YAMLDecoding.Failure {
            throw KctlError("error parsing \(source) (document \(e.document)): \(e.message)")
        }
        var out: [ManifestObject] = []
        for (i, doc) in docs.enumerated() {
            guard case .object = doc else {
                throw KctlError("error parsing \(source) (document \(i + 1)): expected an object, got \(doc.typeName)")
            }
            if doc["kind"] == "List" || (doc["kind"]?.stringValue?.hasSuffix("List") == true && doc["items"] != nil) {
                for item in doc["items"]?.arrayValue ?? [] { out.append(ManifestObject(object: item, source: source)) }
                continue
            }
            guard doc["kind"]?.stringValue?.isEmpty == false else {
                throw KctlError("error validating \"\(source)\": error validating data: kind not set")
            }
            guard doc["apiVersion"]?.stringValue?.isEmpty == false else {
                throw KctlError("error validating \"\(source)\": error validating data: apiVersion not set")
            }
            out.append(ManifestObject(object: doc, source: source))
        }
        return out
    }
}
