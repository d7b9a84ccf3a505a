/// Parsing and printing of Linux CPU lists such as `0-3,8,10-11`, the format of
/// `/sys/devices/system/cpu/online`, `…/node0/cpulist` and `isolated`.
public enum CPUList {
    /// Parses a CPU list. An empty (or whitespace-only) string is the empty list.
    /// - Throws: `HardwareError.malformedCPUList` naming the text and where it came from.
    public static func parse(_ text: String, source: String = "cpu list") throws(HardwareError) -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        var cpus: [Int] = []
        for part in trimmed.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1:
                guard let cpu = Int(bounds[0]), cpu >= 0 else {
                    throw .malformedCPUList(text: trimmed, source: source)
                }
                cpus.append(cpu)
            case 2:
                guard let low = Int(bounds[0]), let high = Int(bounds[1]), low >= 0, high >= low else {
                    throw .malformedCPUList(text: trimmed, source: source)
                }
                cpus.append(contentsOf: low...high)
            default:
                throw .malformedCPUList(text: trimmed, source: source)
            }
        }
        return Array(Set(cpus)).sorted()
    }

    /// Formats CPUs as a compact list (`[0,1,2,5]` → `0-2,5`).
    public static func format(_ cpus: [Int]) -> String {
        let sorted = Array(Set(cpus)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
