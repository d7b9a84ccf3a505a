// JSON error responses: {"error":{"status":400,"code":"invalid_field","message":"…","field":"minutes"}}.

import Foundation
import Hummingbird

/// An error the control plane answers with, as JSON.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    /// Stable machine-readable code: `unauthorized`, `forbidden`, `invalid_field`, `rate_limited`, …
    var code: String
    var message: String
    /// The request field at fault (`minutes`, `id`, `body`), when one is.
    var field: String?
    /// Seconds, for 429.
    var retryAfter: Int?

    static func badRequest(field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_field", message: message, field: field)
    }

    /// The JSON body the client receives.
    struct Body: Codable, Equatable {
        struct Detail: Codable, Equatable {
            var status: Int
            var code: String
            var message: String
            var field: String?
        }
        var error: Detail
    }

    /// The HTTP response.
    func response() -> Response {
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return JSONResponse.make(Body(error: .init(status: status.code, code: code, message: message, field: field)),
                                 status: status, headers: headers)
    }

    /// Maps a control-plane failure to its HTTP status.
    init(_ error: ControlPlaneError) {
        switch error {
        case .notFound(let what):
            self.init(status: .notFound, code: "not_found", message: error.description, field: what.hasPrefix("alert") ? "id" : nil)
        case .conflict(let message):
            self.init(status: .conflict, code: "conflict", message: message)
        case .invalid(let field, let message):
            self.init(status: .badRequest, code: "invalid_field", message: message, field: field)
        case .unavailable(let message):
            self.init(status: .serviceUnavailable, code: "unavailable", message: message)
        }
    }

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }
}

/// JSON responses with sorted keys.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = HTTPFields()) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            let fallback = #"{"error":{"code":"encoding_failed","message":"response could not be encoded","status":500}}"#
            return Response(status: .internalServerError, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: fallback)))
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A strictly checked JSON object body: unknown fields, wrong types and bad values are refused
/// with a 400 naming the field.
struct StrictJSONBody {
    private let object: [String: JSONScalar]

    /// A JSON value of a request body (nested objects and arrays are not accepted).
    enum JSONScalar: Decodable {
        case null, bool(Bool), number(Double), string(String), nested

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null; return }
            if let value = try? container.decode(Bool.self) { self = .bool(value); return }
            if let value = try? container.decode(Double.self) { self = .number(value); return }
            if let value = try? container.decode(String.self) { self = .string(value); return }
            self = .nested
        }

        var typeName: String {
            switch self {
            case .null: return "null"
            case .bool: return "a boolean"
            case .number: return "a number"
            case .string: return "a string"
            case .nested: return "an object or array"
            }
        }
    }

    /// Parses `data` (empty = `{}`) and refuses any key outside `allowed`.
    /// - Throws: `APIError` 400 with field `body` (not an object) or the unknown field.
    init(_ data: Data, allowed: Set<String>) throws(APIError) {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            object = [:]
            return
        }
        do {
            object = try JSONDecoder().decode([String: JSONScalar].self, from: data)
        } catch {
            throw .badRequest(field: "body", "the body must be a JSON object with the fields "
                              + (allowed.isEmpty ? "(none)" : allowed.sorted().joined(separator: ", ")))
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw .badRequest(field: key, "unknown field `\(key)`; allowed: "
                              + (allowed.isEmpty ? "(none)" : allowed.sorted().joined(separator: ", ")))
        }
    }

    /// A number field in `range`; nil when absent and not `required`.
    func number(_ key: String, range: ClosedRange<Double>, required: Bool) throws(APIError) -> Double? {
        guard let value = object[key], !isNull(value) else {
            if required { throw .badRequest(field: key, "`\(key)` is required: a number in \(range.lowerBound)...\(range.upperBound)") }
            return nil
        }
        guard case .number(let number) = value else {
            throw .badRequest(field: key, "`\(key)` must be a number, not \(value.typeName)")
        }
        guard number.isFinite, range.contains(number) else {
            throw .badRequest(field: key, "`\(key)` must be in \(range.lowerBound)...\(range.upperBound), got \(number)")
        }
        return number
    }

    /// A string field of at most `maxLength` characters; nil when absent and not `required`.
    func string(_ key: String, maxLength: Int, required: Bool) throws(APIError) -> String? {
        guard let value = object[key], !isNull(value) else {
            if required { throw .badRequest(field: key, "`\(key)` is required: a string") }
            return nil
        }
        guard case .string(let text) = value else {
            throw .badRequest(field: key, "`\(key)` must be a string, not \(value.typeName)")
        }
        guard text.count <= maxLength else {
            throw .badRequest(field: key, "`\(key)` must be at most \(maxLength) characters")
        }
        return text
    }

    private func isNull(_ value: JSONScalar) -> Bool {
        if case .null = value { return true }
        return false
    }
}
