import KubeModel

/// A client's terminal size, as client-go's `TerminalSize` is sent on the resize channel:
/// `{"Width":100,"Height":30}`, maybe with a trailing newline.
struct TerminalSize: Sendable, Equatable {
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(message: [UInt8]) {
        guard let value = try? JSONParser.parse(message), let w = value["Width"]?.intValue, let h = value["Height"]?.intValue else { return nil }
        self.init(width: Int(w), height: Int(h))
    }
}
