import Foundation
import Hummingbird
import Logging

// The baseline for the API server benchmark: the same HTTP stack (Hummingbird on SwiftNIO)
// answering a GET and a POST that do no work, so ratios measure kplane's own cost.
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 18080
let router = Router()
let body = ByteBuffer(string: #"{"kind":"Status","apiVersion":"v1","status":"Success"}"#)
router.get("/trivial") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
}
// The same answer padded to N bytes: what the stack and the kernel alone cost for a body of the
// size kplane sends, so a GET can also be compared with no work of the same size.
router.get("/trivial/{size}") { _, context in
    let size = min(max(context.parameters.get("size", as: Int.self) ?? 0, body.readableBytes), 1 << 20)
    var padded = ByteBuffer(string: #"{"kind":"Status","apiVersion":"v1","status":"Success","message":""#)
    padded.writeRepeatingByte(UInt8(ascii: "x"), count: max(0, size - padded.readableBytes - 2))
    padded.writeString(#""}"#)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: padded))
}
router.post("/trivial") { request, context in
    _ = try await request.body.collect(upTo: 3 * 1024 * 1024)
    return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
}
var logger = Logger(label: "trivial")
logger.logLevel = .warning
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await app.runService()
