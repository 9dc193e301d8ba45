import Foundation
import XCTest

/// What one run of a stage executable left behind: its exit code and both output streams.
struct StageResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
    /// True when the process died of a signal (a trap, a crash) instead of exiting.
    var signaled = false
}

/// Runs the built stage executables (`ingest`, `normalize`, ...) as child processes, the way a
/// nightly `make` or a CI job does, so flag parsing, exit codes and messages are tested as users
/// meet them.
///
/// The executables sit in the products folder beside the `.xctest` bundle (`.build/debug`), which
/// `swift build --build-tests` fills before `swift test --skip-build`.
enum StageProcess {
    static let stages = ["ingest", "normalize", "cohort", "churn-attribution", "report"]

    /// The products folder holding the test bundle and the executables. On macOS the bundle is a
    /// `.xctest` folder inside it; on Linux `Bundle(for:)` already names the products folder.
    static var productsDirectory: URL {
        let bundle = Bundle(for: BundleToken.self).bundleURL
        let candidates =
            bundle.pathExtension == "xctest"
            ? [bundle.deletingLastPathComponent()] : [bundle, bundle.deletingLastPathComponent()]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("ingest").path)
        } ?? candidates[0]
    }

    /// The path of a built executable, or nil when it has not been built.
    static func executable(_ name: String) -> URL? {
        let url = productsDirectory.appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// Runs `name` with `arguments` in `cwd` and waits for it. Output goes through files, not
    /// pipes, so a chatty stage can never block on a full pipe.
    static func run(
        _ name: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> StageResult {
        guard let exe = executable(name) else {
            XCTFail(
                "\(name) is not built in \(productsDirectory.path); run `swift build --build-tests` first", file: file,
                line: line)
            throw XCTSkip("\(name) not built")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("stage-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = cwd }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return StageResult(
            exitCode: p.terminationStatus, stdout: stdout, stderr: stderr,
            signaled: p.terminationReason == .uncaughtSignal)
    }

    /// Runs every stage in order on `config` (a path, relative to `cwd` when not absolute), failing the test at the first non-zero exit.
    @discardableResult
    static func runAll(
        config: String, extra: [String] = [], cwd: URL? = nil, environment: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> [StageResult] {
        var results: [StageResult] = []
        for s in stages {
            let r = try run(
                s, ["--config", config] + extra, cwd: cwd, environment: environment, file: file, line: line)
            results.append(r)
            XCTAssertEqual(r.exitCode, 0, "\(s) failed: \(r.stderr)", file: file, line: line)
            if r.exitCode != 0 { break }
        }
        return results
    }
}

private final class BundleToken {}

/// Fixture folders under `Fixtures/e2e`, copied to a fresh temporary folder per test so stages
/// can write their `work/` and `reports/` beside the configuration.
enum E2EFixture {
    /// Rewrites the project's pipeline.json in `dir` after `change` edits it as a JSON object.
    static func editConfig(in dir: URL, _ change: (inout [String: Any]) -> Void) throws {
        let url = dir.appendingPathComponent("pipeline.json")
        var cfg = try Output.object(url)
        change(&cfg)
        try JSONSerialization.data(withJSONObject: cfg, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// Replaces `a` by `b` in the project file `file` under `dir`, failing when `a` is not there.
    static func replace(
        in dir: URL, _ file: String, _ a: String, _ b: String, sourceFile: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let url = dir.appendingPathComponent(file)
        let text = try Output.text(url)
        XCTAssertTrue(text.contains(a), "\(file) contains \(a)", file: sourceFile, line: line)
        try Data(text.replacingOccurrences(of: a, with: b).utf8).write(to: url)
    }

    static var root: URL {
        let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/e2e").standardized
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return Bundle.module.resourceURL?.appendingPathComponent("Fixtures/e2e") ?? beside
    }

    /// A new empty temporary folder named after `prefix`, for a test that writes its own
    /// project; removed at the end of the test.
    static func emptyFolder(_ prefix: String, for test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// A temporary copy of fixture `name`; removed at the end of the test.
    static func copy(_ name: String, for test: XCTestCase) throws -> URL {
        let dest = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: dest)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dest) }
        return dest
    }
}

/// Reading stage outputs with Foundation's own JSON parser, independent of the library's.
enum Output {
    static func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    static func object(_ url: URL) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return o
    }

    static func lines(_ url: URL) throws -> [[String: Any]] {
        try text(url).split(separator: "\n").map { line in
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return o
        }
    }

    /// The single row of a JSONL file matching every given field, failing when not exactly one.
    static func row(
        _ rows: [[String: Any]], _ match: [String: String],
        file: StaticString = #filePath, line: UInt = #line
    ) -> [String: Any] {
        let hits = rows.filter { r in match.allSatisfy { k, v in "\(r[k] ?? "nil")" == v } }
        XCTAssertEqual(hits.count, 1, "rows matching \(match)", file: file, line: line)
        return hits.first ?? [:]
    }
}

/// docs/stages.md#exit-codes: a user's mistake gets one paragraph that says what to do, never a crash report.
func assertUserMessage(
    _ r: StageResult, exit code: Int32, mentions: [String], _ what: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(r.exitCode, code, "\(what): exit code; stderr: \(r.stderr)", file: file, line: line)
    let msg = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    XCTAssertFalse(msg.isEmpty, "\(what): no message on stderr", file: file, line: line)
    XCTAssertFalse(msg.contains("\n\n"), "\(what): message is more than one paragraph:\n\(msg)", file: file, line: line)
    for bad in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction", "Segmentation fault"] {
        XCTAssertFalse(msg.contains(bad), "\(what): stack trace or crash in message:\n\(msg)", file: file, line: line)
    }
    for m in mentions {
        XCTAssertTrue(msg.contains(m), "\(what): message does not mention \"\(m)\":\n\(msg)", file: file, line: line)
    }
    // "what to do": an imperative suggestion (check, run, rerun, fix, write, remove, ...).
    let advice = [
        "Check", "check", "Run ", "run ", "Rerun", "rerun", "Fix", "fix", "Remove", "remove", "Use", "write", "Write",
        "did you mean", "Did you mean", "raise", "see ",
    ]
    XCTAssertTrue(
        advice.contains { msg.contains($0) }, "\(what): message does not say what to do:\n\(msg)", file: file,
        line: line)
    XCTAssertFalse(r.signaled, "\(what): killed by signal \(r.exitCode)", file: file, line: line)
}
