import Foundation
import XCTest

/// Runs the repository's real Makefile on a project in a temporary folder, with the stage
/// binaries the tests were built with (`BIN`) and no rebuild (`SWIFT_SOURCES=`).
enum MakeProcess {
    static var makefile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Makefile")
            .standardized
    }

    struct Result {
        var exitCode: Int32
        var output: String
        /// The stages whose recipes ran, in alphabetical order.
        var ran: [String]
    }

    static func run(
        _ goals: [String] = [], cwd: URL, config: String = "pipeline.json", environment: [String: String] = [:],
        binInEnvironment: Bool = false, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Result {
        let bin = StageProcess.productsDirectory.path
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("make-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let out = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments =
            ["make", "-f", makefile.path] + (binInEnvironment ? [] : ["BIN=\(bin)"])
            + ["SWIFT_SOURCES=", "CONFIG=\(config)"] + goals
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SOURCE_DATE_EPOCH")
        env.removeValue(forKey: "MAKEFLAGS")
        env.removeValue(forKey: "MFLAGS")
        env.removeValue(forKey: "MAKELEVEL")
        if binInEnvironment { env["BIN"] = bin }
        p.environment = env.merging(environment) { $1 }
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        let ran = text.split(separator: "\n").compactMap { l -> String? in
            guard l.hasPrefix(bin + "/") else { return nil }
            return l.dropFirst(bin.count + 1).split(separator: " ").first.map(String.init)
        }.sorted()
        return Result(exitCode: p.terminationStatus, output: text, ran: ran)
    }

    /// Seconds since 1970 at midnight UTC of `iso` (YYYY-MM-DD), for SOURCE_DATE_EPOCH.
    static func epoch(_ iso: String) -> String {
        var c = DateComponents()
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        c.year = parts[0]
        c.month = parts[1]
        c.day = parts[2]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return String(Int(cal.date(from: c)!.timeIntervalSince1970))
    }
}
