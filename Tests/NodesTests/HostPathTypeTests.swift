import Foundation
import KplaneTestSupport
import Testing
@testable import Nodes

/// A hostPath volume's `type`, checked as the kubelet's `checkType` does before mounting.
@Suite struct HostPathTypeTests {
    @Test(arguments: [
        // (what is at the path, type, the error, or nil when it mounts)
        ("dir", "Directory", nil),
        ("file", "Directory", "is not a directory"),
        ("missing", "Directory", "is not a directory"),
        ("file", "File", nil),
        ("dir", "File", "is not a file"),
        ("missing", "File", "is not a file"),
        ("file", "Socket", "is not a socket file"),
        ("null", "CharDevice", nil),
        ("file", "CharDevice", "is not a character device"),
        ("file", "BlockDevice", "is not a block device"),
        ("dir", "FileOrCreate", "is not a file"),
        ("file", "DirectoryOrCreate", "is not a directory"),
        ("missing", "", nil),
        ("file", "", nil),
        ("file", "Pipe", "invalid"),
    ] as [(String, String, String?)])
    func typeCheck(what: String, type: String, error: String?) throws {
        let dir = temporaryDirectory()
        let path = switch what {
        case "dir": dir
        case "null": "/dev/null"
        case "file": dir + "/file"
        default: dir + "/missing"
        }
        FileManager.default.createFile(atPath: dir + "/file", contents: Data("x".utf8))
        do {
            #expect(try PodVolumes.hostPath(path, type: type) == path)
            #expect(error == nil)
        } catch let e as VolumeSetUpError {
            let expected = error == "invalid" ? "\(type) is an invalid volume type" : "hostPath type check failed: \(path) \(error ?? "mounts")"
            #expect(e.message == expected)
        }
    }

    @Test func orCreateMakesWhatIsMissing() throws {
        let dir = temporaryDirectory()
        _ = try PodVolumes.hostPath(dir + "/a/b", type: "DirectoryOrCreate")
        _ = try PodVolumes.hostPath(dir + "/f", type: "FileOrCreate")
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/a/b", isDirectory: &isDir) && isDir.boolValue)
        #expect(FileManager.default.fileExists(atPath: dir + "/f", isDirectory: &isDir) && !isDir.boolValue)
    }
}
