// libFuzzer harness of the cluster wire codec and replay guard.
//
// Built by scripts/fuzz-wire.sh with `-sanitize=fuzzer -DFUZZING` (its own scratch path):
// `main` then hands control to libFuzzer (LLVMFuzzerRunDriver). In a normal build the same
// executable replays the files given as arguments, or runs a seeded random smoke test, so
// `swift build` keeps it compiling and links without libFuzzer.
//
// Property checked on every input: decoding never crashes; anything that decodes
// re-encodes to the same bytes and decodes to the same message; the replay guard admits
// the message at most once.

import Foundation
import Protocols

enum WireFuzz {
    static let codec: WireCodec = {
        do { return WireCodec(key: try WireKey(bytes: Array(repeating: 0x42, count: 32), source: "fuzz")) }
        catch { preconditionFailure("a 32-byte key is valid: \(error)") }
    }()

    /// One input. The first byte selects the mode: even = the bytes as received; odd = the
    /// bytes re-signed with the fuzz key (so payload parsers behind the tag are reached).
    static func check(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var bytes = Array(input.dropFirst())
        if mode & 1 == 1, bytes.count > WireHeader.tagSize {
            let signed = Array(bytes.dropLast(WireHeader.tagSize))
            bytes = signed + codec.authenticationTag(for: signed)
        }
        let message: WireMessage
        do {
            message = try codec.decode(bytes)
        } catch {
            _ = error.description  // every error renders
            return
        }
        let encoded: [UInt8]
        do {
            encoded = try codec.encode(message)
        } catch {
            fail("decoded message does not re-encode: \(error)")
        }
        guard encoded == bytes else { fail("re-encoding differs from the accepted bytes") }
        guard (try? codec.decode(encoded)) == message else { fail("round trip changed the message") }
        var guardian = ReplayGuard()
        let first = guardian.admit(message, nowNs: message.timestampNs)
        let second = guardian.admit(message, nowNs: message.timestampNs)
        guard first == .accept, second == .drop(.replayed) else { fail("replay guard admitted a message twice") }
    }

    static func fail(_ reason: String) -> Never {
        FileHandle.standardError.write(Data("wire fuzz: \(reason)\n".utf8))
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func wireFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    WireFuzz.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@main
struct WireFuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { wireFuzzTestOneInput($0, $1) })
    }
}
#else
@main
struct WireFuzzMain {
    /// Replays the files named on the command line, or 20,000 seeded random inputs
    /// (mutations of valid messages) when none are given.
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if !paths.isEmpty {
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else { WireFuzz.fail("cannot read \(path)") }
                WireFuzz.check(Array(data))
            }
            print("wire fuzz: replayed \(paths.count) inputs")
            return
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let seed = WireMessage(sender: "agent-1", sequence: 7, timestampNs: 1_700_000_000_000_000_000,
                               payload: .halt(Halt(reason: "smoke")))
        let valid = (try? WireFuzz.codec.encode(seed)) ?? []
        for _ in 0..<20_000 {
            var input = [UInt8(truncatingIfNeeded: next())] + valid
            for _ in 0..<Int(next() % 4) where input.count > 1 {
                input[Int(next() % UInt64(input.count))] = UInt8(truncatingIfNeeded: next())
            }
            WireFuzz.check(input)
        }
        print("wire fuzz: 20000 random inputs, no failure")
    }
}
#endif
