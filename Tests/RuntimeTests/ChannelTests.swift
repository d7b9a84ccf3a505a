import Testing
@testable import Runtime

@Suite struct ChannelOverflowTests {
    @Test(arguments: [ProducerMode.single, .multiple])
    func dropNewestCountsEveryDiscardedMessage(producers: ProducerMode) throws {
        let channel = try Channel<Int>(.init(name: "t", capacity: 100, overflow: .dropNewest, producers: producers))
        var outcomes: [SendOutcome] = []
        for value in 0..<250 { outcomes.append(channel.send(value)) }
        #expect(outcomes.filter { $0 == .enqueued }.count == 100)
        #expect(outcomes.filter { $0 == .droppedNewest }.count == 150)
        let stats = channel.stats
        #expect(stats.enqueued == 100 && stats.droppedNewest == 150 && stats.depth == 100 && stats.rejected == 0)
        var received: [Int] = []
        while let value = channel.receive() { received.append(value) }
        #expect(received == Array(0..<100))
    }

    @Test(arguments: [ProducerMode.single, .multiple])
    func rejectTellsTheSenderAndCountsExactly(producers: ProducerMode) throws {
        let channel = try Channel<Int>(.init(name: "orders", capacity: 10, overflow: .reject, producers: producers))
        for value in 0..<10 { try channel.trySend(value) }
        #expect(throws: ChannelError.full(channel: "orders", capacity: 10)) { try channel.trySend(10) }
        for value in 11..<15 { #expect(channel.send(value) == .rejected) }
        #expect(channel.stats.rejected == 5)
        #expect(channel.stats.enqueued == 10)
        #expect(ChannelError.full(channel: "orders", capacity: 10).description
            == "channel 'orders' is full (capacity 10); message rejected")
    }

    @Test func dropOldestKeepsTheNewestAndCountsEvictions() throws {
        let channel = try Channel<Int>(.init(name: "ticks", capacity: 100, overflow: .dropOldest, producers: .single))
        for value in 0..<250 { #expect(channel.send(value).isAccepted) }
        let stats = channel.stats
        #expect(stats.droppedOldest == 150)
        #expect(stats.enqueued == 250)
        #expect(stats.depth == 100)
        var received: [Int] = []
        while let value = channel.receive() { received.append(value) }
        #expect(received == Array(150..<250))
    }

    @Test func nonPowerOfTwoCapacityIsExact() throws {
        let channel = try Channel<Int>(.init(name: "t", capacity: 10_000, overflow: .dropNewest, producers: .single))
        for value in 0..<10_001 { channel.send(value) }
        #expect(channel.stats.depth == 10_000)
        #expect(channel.stats.droppedNewest == 1)
    }

    @Test func conflationKeepsTheLatestValuePerKey() throws {
        let channel = try ConflatingChannel<Int>(name: "quotes", keyCount: 10)
        for value in 0..<1000 { channel.send(value, key: value % 10) }
        #expect(channel.send(1, key: 10) == .invalidKey)
        let stats = channel.stats
        #expect(stats.enqueued == 10 && stats.conflated == 990 && stats.rejected == 1 && stats.depth == 10)
        var latest: [Int: Int] = [:]
        while let (key, value) = channel.receive() { latest[key] = value }
        #expect(latest == Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, 990 + $0) }))
    }

    @Test func zeroCapacityIsRejectedNamingTheValue() {
        let error = #expect(throws: RuntimeError.self) { try Channel<Int>(.init(name: "ticks", capacity: 0)) }
        #expect(error?.description == "channel 'ticks' capacity 0 is invalid: it must be between 1 and 1073741824")
        #expect(throws: RuntimeError.self) { try SPSCRing<Int>(capacity: -5) }
        #expect(throws: RuntimeError.self) { try ConflatingChannel<Int>(name: "q", keyCount: 0) }
    }

    @Test func closedChannelRefusesMessages() throws {
        let channel = try Channel<Int>(.init(name: "t", capacity: 4))
        channel.close()
        #expect(channel.send(1) == .closed)
        #expect(throws: ChannelError.closed(channel: "t")) { try channel.trySend(1) }
    }
}
