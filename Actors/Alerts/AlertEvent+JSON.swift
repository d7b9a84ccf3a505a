// One-line JSON form of an alert event (log channel, Redis, control plane).

import Foundation

extension AlertEvent {
    /// The event as one line of JSON with sorted keys, e.g.
    /// `{"alert":{…},"at":…,"kind":"raised"}`. Never contains a newline.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        guard let data = try? encoder.encode(self) else {
            // Unreachable for this type (all fields encodable); keep a valid line anyway.
            return "{\"kind\":\"\(kind.rawValue)\",\"id\":\(alert.id)}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
