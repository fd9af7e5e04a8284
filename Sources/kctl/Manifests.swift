import ArgumentParser
import Foundation
import KubeClient
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

    /// Every object, stopping at the first file that cannot be read or parsed.
    static func read(_ paths: [String], recursive: Bool) throws -> [ManifestObject] {
        let (objects, failures) = try load(paths, recursive: recursive)
        if let first = failures.first { throw first }
        return objects
    }

    /// The objects of every file, and what failed to parse: as kubectl's builder continues past
    /// a broken file (and keeps the documents before the break), the objects read are still
    /// acted on and the failures reported after them.
    static func load(_ paths: [String], recursive: Bool) throws -> (objects: [ManifestObject], failures: [KctlError]) {
        var out: [ManifestObject] = []
        var failures: [KctlError] = []
        func add(_ text: String, _ source: String) {
            let (objects, failure) = parse(text, source: source)
            out += objects
            if let failure { failures.append(failure) }
        }
        for p in paths {
            if p == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                add(String(decoding: data, as: UTF8.self), "STDIN")
                continue
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw KctlError("the path \"\(p)\" does not exist")
            }
            if isDir.boolValue {
                for file in try files(in: p, recursive: recursive) {
                    add(try String(contentsOfFile: file, encoding: .utf8), file)
                }
            } else {
                add(try String(contentsOfFile: p, encoding: .utf8), p)
            }
        }
        return (out, failures)
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

    /// The objects of one file, document by document, and the failure that ended it, if any.
    /// Documents are split on `---` lines first, as kubectl's YAMLReader does, so a syntax
    /// error names a line counted from the start of its own document.
    static func parse(_ text: String, source: String) -> ([ManifestObject], KctlError?) {
        var out: [ManifestObject] = []
        do {
            let chunks: [String]
            do {
                chunks = try documents(text)
            } catch let e as KctlError {
                throw KctlError("error parsing \(source): \(e.message)")
            }
            for chunk in chunks {
                let doc: JSONValue
                do {
                    guard let first = try YAMLDecoding.documents(chunk).first else { continue }
                    doc = first
                } catch let e as YAMLDecoding.Failure {
                    throw KctlError("error parsing \(source): \(e.message)")
                }
                guard case .object = doc else {
                    throw KctlError("error validating \"\(source)\": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false")
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
        } catch let e as KctlError {
            return (out, e)
        } catch {
            return (out, KctlError("\(error)"))
        }
        return (out, nil)
    }

    /// Splits a YAML stream at lines starting with `---` (followed by nothing but a comment).
    static func documents(_ text: String) throws -> [String] {
        var docs: [String] = []
        var current = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("---") {
                let rest = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if !rest.isEmpty && !rest.hasPrefix("#") {
                    throw KctlError("invalid Yaml document separator: \(rest)")
                }
                if !current.isEmpty { docs.append(current) }
                current = ""
                continue
            }
            current += line + (i < lines.count - 1 ? "\n" : "")
        }
        if !current.isEmpty { docs.append(current) }
        return docs
    }
}

extension Manifests {
    /// Acts on each object read, then reports what failed as kubectl does once it has visited
    /// them all: the parse failures first, one failure as an error line, several one per line
    /// without the `error:` prefix. Exits 1 if anything failed.
    static func each(_ objects: [ManifestObject], failures: [KctlError], _ body: (ManifestObject) async throws -> Void) async throws {
        var messages = failures.map(\.message)
        for m in objects {
            do {
                try await body(m)
            } catch let e as APIStatusError {
                messages.append(ErrorText.server(e))
            } catch let e as KctlError {
                messages.append(e.message)
            }
        }
        if messages.count == 1 { Terminal.error(messages[0]) } else { for m in messages { Terminal.err(m) } }
        if !messages.isEmpty { throw ExitCode(1) }
    }
}
