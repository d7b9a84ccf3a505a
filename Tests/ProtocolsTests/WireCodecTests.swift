import Testing
@testable import Protocols

@Suite("Wire codec")
struct WireCodecTests {
    let codec: WireCodec

    init() throws {
        codec = WireCodec(key: try WireFixtures.key())
    }

    @Test("random messages of every type round-trip exactly (seeded property test)")
    func roundTripProperty() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var seenTypes = Set<WireMessageType>()
        var buffer: [UInt8] = []
        for _ in 0..<2000 {
            let message = WireFixtures.message(&rng)
            try codec.encode(message, into: &buffer)
            let decoded = try codec.decode(buffer)
            #expect(decoded == message)
            seenTypes.insert(message.payload.type)
        }
        #expect(seenTypes.count == WireMessageType.allCases.count)
    }

    @Test("header layout: magic, version, type, sender length, big-endian fields, 32-byte tag")
    func headerLayout() throws {
        let message = WireMessage(sender: "a1", sequence: 0x0102_0304_0506_0708, timestampNs: 42,
                                  payload: .halt(Halt(reason: "x")))
        let bytes = try codec.encode(message)
        #expect(Array(bytes[0..<4]) == [0x51, 0x41, 0x57, 0x31])
        #expect(bytes[4] == 1)
        #expect(bytes[5] == WireMessageType.halt.rawValue)
        #expect(bytes[6] == 2)
        #expect(Array(bytes[8..<16]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(bytes[24..<28]) == [0, 0, 0, 3])  // u16 length + "x"
        #expect(bytes.count == 28 + 2 + 3 + 32)
    }

    @Test("every single-bit flip of a valid message is rejected, never accepted")
    func bitFlipsRejected() throws {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<20 {
            let bytes = try codec.encode(WireFixtures.message(&rng))
            for index in bytes.indices {
                var corrupted = bytes
                corrupted[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                #expect(throws: WireError.self) { try codec.decode(corrupted) }
            }
        }
    }

    @Test("a message signed with another key fails with badTag")
    func wrongKeyIsBadTag() throws {
        let forger = WireCodec(key: try WireFixtures.otherKey())
        let bytes = try forger.encode(WireMessage(sender: "evil", sequence: 1, timestampNs: 1,
                                                  payload: .halt(Halt(reason: "fake"))))
        #expect(throws: WireError.badTag) { try codec.decode(bytes) }
    }

    @Test("malformed inputs give the specific typed error")
    func malformedInputs() throws {
        let good = try codec.encode(WireMessage(sender: "agent-1", sequence: 9, timestampNs: 10,
                                                payload: .vote(Vote(proposal: ProposalID(proposer: "p", number: 1), requiredApprovals: 2, liveMembers: 3, approve: true))))
        #expect(throws: WireError.truncated(needed: 28, available: 0)) { try codec.decode([]) }
        #expect(throws: WireError.truncated(needed: 28, available: 27)) { try codec.decode(Array(good[0..<27])) }
        #expect(throws: WireError.truncated(needed: good.count, available: good.count - 1)) {
            try codec.decode(Array(good.dropLast()))
        }
        #expect(throws: WireError.lengthMismatch(declared: good.count, actual: good.count + 1)) {
            try codec.decode(good + [0])
        }
        var badMagic = good; badMagic[0] = 0x00
        #expect(throws: WireError.badMagic(found: 0x0041_5731)) { try codec.decode(badMagic) }
        var badVersion = good; badVersion[4] = 2
        #expect(throws: WireError.unsupportedVersion(found: 2, supported: 1)) { try codec.decode(badVersion) }
        var noSender = good; noSender[6] = 0
        #expect(throws: WireError.invalidSender(reason: "length 0, allowed 1...64")) { try codec.decode(noSender) }
        var flags = good; flags[7] = 1
        #expect(throws: WireError.reservedFlags(found: 1)) { try codec.decode(flags) }
        var huge = good; huge[24] = 0xFF
        #expect(throws: WireError.payloadTooLarge(length: 0xFF00_0000 + Int(good[27]), limit: 65536)) {
            try codec.decode(huge)
        }
        var badTag = good; badTag[good.count - 1] ^= 1
        #expect(throws: WireError.badTag) { try codec.decode(badTag) }
    }

    @Test("authenticated but semantically bad content: unknown type, bad bool, trailing bytes, bad UTF-8")
    func authenticatedGarbage() throws {
        let base = try codec.encode(WireMessage(sender: "s", sequence: 1, timestampNs: 1,
                                                payload: .vote(Vote(proposal: ProposalID(proposer: "p", number: 1), requiredApprovals: 2, liveMembers: 3, approve: true))))
        // Re-sign after each edit so only the semantic check can fail.
        func resigned(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var signed = Array(base.dropLast(32))
            edit(&signed)
            let patchedLength = UInt32(signed.count - 28 - 1)
            signed[24] = UInt8(patchedLength >> 24); signed[25] = UInt8((patchedLength >> 16) & 0xFF)
            signed[26] = UInt8((patchedLength >> 8) & 0xFF); signed[27] = UInt8(patchedLength & 0xFF)
            return signed + codec.authenticationTag(for: signed)
        }
        #expect(throws: WireError.unknownType(rawValue: 99)) { try codec.decode(resigned { $0[5] = 99 }) }
        #expect(throws: WireError.malformedPayload(type: .vote, field: "approve", reason: "boolean must be 0 or 1, found 2")) {
            try codec.decode(resigned { $0[$0.count - 1] = 2 })
        }
        #expect(throws: WireError.malformedPayload(type: .vote, field: "end", reason: "1 trailing bytes")) {
            try codec.decode(resigned { $0.append(0) })
        }
        #expect(throws: WireError.malformedPayload(type: .vote, field: "approve", reason: "needs 1 more bytes, 0 left")) {
            try codec.decode(resigned { $0.removeLast() })
        }
        #expect(throws: WireError.invalidSender(reason: "not valid UTF-8")) { try codec.decode(resigned { $0[28] = 0xFF }) }
    }

    @Test("random byte strings and random truncations never crash and always throw WireError")
    func randomGarbage() throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<3000 {
            let garbage = WireFixtures.bytes(&rng, max: 200)
            #expect(throws: WireError.self) { try codec.decode(garbage) }
        }
        for _ in 0..<300 {
            let bytes = try codec.encode(WireFixtures.message(&rng))
            let cut = Int.random(in: 0..<bytes.count, using: &rng)
            #expect(throws: WireError.self) { try codec.decode(Array(bytes[0..<cut])) }
        }
    }

    @Test("encoding refuses what could not be decoded: empty or long sender, long reason, large payload")
    func encodeValidation() throws {
        #expect(throws: WireError.invalidSender(reason: "length 0, allowed 1...64")) {
            try codec.encode(WireMessage(sender: "", sequence: 1, timestampNs: 1, payload: .halt(Halt(reason: ""))))
        }
        #expect(throws: WireError.invalidSender(reason: "length 65, allowed 1...64")) {
            try codec.encode(WireMessage(sender: String(repeating: "x", count: 65), sequence: 1, timestampNs: 1,
                                         payload: .halt(Halt(reason: ""))))
        }
        #expect(throws: WireError.malformedPayload(type: .halt, field: "reason", reason: "length 1025 exceeds 1024")) {
            try codec.encode(WireMessage(sender: "a", sequence: 1, timestampNs: 1,
                                         payload: .halt(Halt(reason: String(repeating: "r", count: 1025)))))
        }
        let small = WireCodec(key: try WireFixtures.key(), maxPayloadLength: 16)
        #expect(throws: WireError.payloadTooLarge(length: 32, limit: 16)) {
            try small.encode(WireMessage(sender: "a", sequence: 1, timestampNs: 1, payload: .proposal(Proposal(
                id: ProposalID(proposer: "a", number: 1), topic: .riskOff, value: Array(repeating: 1, count: 8), deadlineNs: 0))))
        }
    }

    @Test("error descriptions name the field and the value")
    func errorDescriptions() {
        #expect(WireError.unsupportedVersion(found: 3, supported: 1).description.contains("version 3"))
        #expect(WireError.malformedPayload(type: .decision, field: "outcome", reason: "unknown outcome 9").description
            == "decision payload: field 'outcome': unknown outcome 9")
    }
}
