import Testing
@testable import Execution

@Suite struct OrderIndexTests {
    /// A deterministic mix of inserts and removals checked against a dictionary,
    /// with ids that collide in the table (multiples of its size) and arbitrary ids.
    @Test func orderIndexAgreesWithADictionaryUnderChurn() {
        var index = OrderIndex(capacity: 64)
        var reference: [UInt64: Int32] = [:]
        var state: UInt64 = 12345
        func random() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        var nextSlot: Int32 = 0
        for step in 0..<20_000 {
            let id: UInt64 = step % 3 == 0 ? (random() % 40) * 128 : random() % 500
            if reference[id] == nil, reference.count < 64, random() % 3 != 0 {
                index.insert(id, slot: nextSlot)
                reference[id] = nextSlot
                nextSlot &+= 1
            } else {
                #expect(index.remove(id) == reference.removeValue(forKey: id))
            }
            #expect(index.count == reference.count)
            let probe: UInt64 = random() % 600
            #expect(index.find(probe) == reference[probe])
        }
        for (id, slot) in reference { #expect(index.find(id) == slot) }
    }

    @Test func fullTableFindsEveryEntryAndEmptiesCleanly() {
        var index = OrderIndex(capacity: 1000)
        for id in 0..<1000 { index.insert(UInt64(id) &* 0x1_0000_0001, slot: Int32(id)) }
        #expect(index.count == 1000)
        for id in 0..<1000 { #expect(index.find(UInt64(id) &* 0x1_0000_0001) == Int32(id)) }
        #expect(index.find(7) == nil)
        for id in stride(from: 999, through: 0, by: -1) { #expect(index.remove(UInt64(id) &* 0x1_0000_0001) == Int32(id)) }
        #expect(index.count == 0)
        #expect(index.remove(0) == nil)
    }
}
