import Foundation
import XCTest

@testable import CohortKit

#if canImport(Glibc)
    import Glibc
#endif

/// A stage releases the cached pages of the outputs it is about to replace, and nothing else:
/// the files keep their bytes, small files and missing ones are left alone.
final class ReplacedOutputsTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "replaced-outputs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes `bytes` bytes to `path`, on disk (so its pages are clean and can be released), and
    /// reads them back into the page cache.
    private func cachedFile(_ name: String, bytes: Int) throws -> (path: String, data: Data) {
        let path = "\(dir)/\(name)"
        var rng = SplitMix64(seed: UInt64(bytes))
        let data = Data((0..<bytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        try data.write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        XCTAssertEqual(fsync(fd), 0)
        close(fd)
        _ = try Data(contentsOf: URL(fileURLWithPath: path))
        return (path, data)
    }

    /// Pages of `path` in the page cache (`mincore` over a mapping of the whole file).
    private func residentPages(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let size = FilePaths.size(path) ?? 0
        guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw XCTSkip("cannot map \(path)")
        }
        defer { munmap(map, size) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vec = [UInt8](repeating: 0, count: (size + page - 1) / page)
        guard mincore(map, size, &vec) == 0 else { throw XCTSkip("mincore is not available") }
        return vec.filter { $0 & 1 != 0 }.count
    }

    func testReleasesTheCacheOfLargeOutputsAndKeepsTheirBytes() throws {
        let large = try cachedFile("subscriptions.jsonl", bytes: ReplacedOutputs.minimumBytes + 12_345)
        let small = try cachedFile("kpis.json", bytes: 64 << 10)
        guard try residentPages(large.path) > 0 else { throw XCTSkip("the file system keeps no page cache") }
        // A link to the large file and a named pipe are not followed or opened (a pipe would block).
        let link = "\(dir)/link.jsonl"
        XCTAssertEqual(symlink(large.path, link), 0)
        let fifo = "\(dir)/fifo.jsonl"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let released = ReplacedOutputs.releaseCache(of: [
            large.path, small.path, "\(dir)/missing.jsonl", dir, link, fifo,
        ])
        XCTAssertEqual(released, 1, "only the large regular file")
        XCTAssertEqual(try residentPages(large.path), 0, "the large output's pages are released")
        XCTAssertGreaterThan(try residentPages(small.path), 0, "a small output is left in memory")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: large.path)), large.data)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: small.path)), small.data)
    }
}
