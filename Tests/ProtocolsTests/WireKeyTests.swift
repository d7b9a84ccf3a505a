import Foundation
import Testing
@testable import Protocols

@Suite("Wire key")
struct WireKeyTests {
    let hex = String(repeating: "0123456789abcdef", count: 4)

    @Test("the key loads from the hex environment variable and its descriptions are redacted")
    func environmentAndRedaction() throws {
        let key = try WireKey.load(environment: [WireKey.keyVariable: hex + "\n"])
        #expect(key.byteCount == 32)
        for text in [key.description, key.debugDescription, String(reflecting: key), "\(key)", String(describing: Mirror(reflecting: key).children.map(\.value))] {
            #expect(!text.contains("0123"))
            #expect(!text.contains("[1, 35"))
        }
        #expect(key.description == "WireKey(<redacted>, 32 bytes)")
    }

    @Test("missing, non-hex and short keys are typed errors that do not echo the key")
    func errors() {
        #expect(throws: WireKeyError.missing(keyVariable: WireKey.keyVariable, keyFileVariable: WireKey.keyFileVariable)) {
            try WireKey.load(environment: [:])
        }
        #expect(throws: WireKeyError.invalidHex(source: WireKey.keyVariable, position: 3)) {
            try WireKey.load(environment: [WireKey.keyVariable: "abcZ" + hex])
        }
        #expect(throws: WireKeyError.tooShort(source: WireKey.keyVariable, bytes: 16, minimum: 32)) {
            try WireKey.load(environment: [WireKey.keyVariable: String(hex.prefix(32))])
        }
        let error = WireKeyError.invalidHex(source: WireKey.keyVariable, position: 3)
        #expect(!error.description.contains("abc"))
    }

    @Test("the key file is read when private and refused when group/world readable")
    func keyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qa-key-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]))
        let key = try WireKey.load(environment: [WireKey.keyFileVariable: path])
        #expect(key.byteCount == 32)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: WireKeyError.filePermissionsTooOpen(path: path, mode: 0o644)) { try WireKey.load(keyFile: path) }
        #expect(throws: WireKeyError.self) { try WireKey.load(keyFile: path + ".missing") }
    }
}
