// A Lua script identified by its SHA1, for EVALSHA.

import Crypto

/// Lua source with its SHA1 (computed locally, as Redis does), for `EVALSHA`.
public struct RedisScript: Sendable, Equatable {
    /// Lua source text.
    public let source: String
    /// Lowercase hex SHA1 of `source`.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        let digest = Insecure.SHA1.hash(data: Array(source.utf8))
        sha1 = digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
