// The control plane over TLS: a self-signed certificate made with openssl, requests with curl
// trusting only that certificate, plain HTTP refused, unusable certificate files named.

import Foundation
import Testing
@testable import Agent

/// Runs a command to completion off the cooperative pool (the server under test needs it); its status and stdout.
private func command(_ path: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try blockingCommand(path, arguments) })
        }
    }
}

private func blockingCommand(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite("Operations: TLS")
struct OperationsTLSTests {
    @Test func controlPlaneServesHTTPSWithTheConfiguredCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qa-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let made = try await command("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try #require(made.status == 0, "openssl could not make a certificate (make test installs openssl)")

        let agent = try await OperationsTestAgent.make()
        var configuration = ControlServerConfiguration()
        configuration.port = 0
        configuration.tls = (certificate, key)
        let server = ControlServer(configuration: configuration, plane: agent, authority: nil)
        let port = try await server.start()

        let https = try await command("/usr/bin/curl", ["-s", "--max-time", "20", "--retry", "2", "--retry-all-errors", "--cacert", certificate, "-o", "/dev/null",
                                                  "-w", "%{http_code} %{ssl_verify_result}", "https://127.0.0.1:\(port)/health"])
        #expect(https.stdout == "200 0", "curl over TLS: \(https.stdout)")
        let body = try await command("/usr/bin/curl", ["-s", "--max-time", "20", "--retry", "2", "--retry-all-errors", "--cacert", certificate,
                                                 "https://127.0.0.1:\(port)/health"])
        #expect(body.stdout.contains("\"subsystems\""))
        // The certificate is checked: without trusting it, the handshake fails.
        let untrusted = try await command("/usr/bin/curl", ["-s", "--max-time", "10", "-o", "/dev/null", "https://127.0.0.1:\(port)/health"])
        #expect(untrusted.status != 0)
        // Plain HTTP on the TLS port gets no HTTP answer.
        let plain = try await command("/usr/bin/curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                                                  "http://127.0.0.1:\(port)/health"])
        #expect(plain.stdout != "200")
        await server.stop()
    }

    @Test func unusableCertificateFilesAreNamed() async throws {
        let agent = try await OperationsTestAgent.make()
        var configuration = ControlServerConfiguration()
        configuration.port = 0
        configuration.tls = ("/nonexistent/cert.pem", "/nonexistent/key.pem")
        let server = ControlServer(configuration: configuration, plane: agent, authority: nil)
        do {
            _ = try await server.start()
            Issue.record("the server started without its certificate")
            await server.stop()
        } catch {
            #expect(error.description.contains("/nonexistent/cert.pem"))
        }
    }
}
